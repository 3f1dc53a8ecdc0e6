/**
 * D1 reads for the host app's directory API, and the JSON each row becomes. Every query takes the tenant id first,
 * so a key of tenant A can only ever page through tenant A (a group id of tenant B is "not found"). Users come with
 * their groups in the same query (src/scim/store.ts), groups with their member counts (src/admin/directory.ts).
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { MEMBER_COUNT } from "../admin/directory";
import type { Database } from "../db/client";
import { events, groupMembers, groups, users } from "../db/schema";
import { isPlainObject, parseJson, type JsonObject } from "../lib/json";
import { scimRoles, type GroupRef } from "../scim/resources";
import { afterInListOrder, findGroup, groupsFrom, selectUsersWithGroups, type UserRowWithGroups } from "../scim/store";
import { cutPage, positionCursor, type ListPosition, type Page } from "./paging";

const iso = (ms: number) => new Date(ms).toISOString();

export interface DirectoryEmail {
  value: string;
  type: string | null;
  primary: boolean;
}

export interface DirectoryUser {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  emails: DirectoryEmail[];
  /** SCIM `name` (givenName, familyName, formatted, …) as the IdP sent it, or null. */
  name: JsonObject | null;
  groups: GroupRef[];
  roles: string[];
  source: "scim" | "jit";
  createdAt: string;
  updatedAt: string;
}

function emailsOf(data: JsonObject): DirectoryEmail[] {
  const emails = Array.isArray(data.emails) ? data.emails.filter(isPlainObject) : [];
  return emails.flatMap((email) =>
    typeof email.value === "string" ? [{ value: email.value, type: typeof email.type === "string" ? email.type : null, primary: email.primary === true }] : [],
  );
}

function renderUser(row: UserRowWithGroups): DirectoryUser {
  const data = JSON.parse(row.data) as JsonObject;
  return {
    id: row.id,
    userName: row.userName,
    externalId: row.externalId,
    active: row.active,
    displayName: row.displayName,
    emails: emailsOf(data),
    name: isPlainObject(data.name) ? data.name : null,
    groups: groupsFrom(row),
    roles: scimRoles(row.data),
    source: row.source,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export async function listUsersPage(db: Database, tenantId: string, after: ListPosition | undefined, limit: number): Promise<Page<DirectoryUser>> {
  const rows = await selectUsersWithGroups(db, tenantId, afterInListOrder(users, after), limit + 1);
  const page = cutPage(rows, limit, positionCursor);
  return { items: page.items.map(renderUser), next: page.next };
}

export async function listGroupsPage(db: Database, tenantId: string, after: ListPosition | undefined, limit: number) {
  const rows = await db
    .select({ id: groups.id, displayName: groups.displayName, externalId: groups.externalId, memberCount: MEMBER_COUNT, createdAt: groups.createdAt, updatedAt: groups.updatedAt })
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), afterInListOrder(groups, after)))
    .orderBy(asc(groups.createdAt), asc(groups.id))
    .limit(limit + 1);
  const page = cutPage(rows, limit, positionCursor);
  return { items: page.items.map((row) => ({ ...row, memberCount: Number(row.memberCount), createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) })), next: page.next };
}

/** A page of a group's members, ordered by user id (the primary key's order: no sort, any depth); undefined when there is no such group. */
export async function listMembersPage(db: Database, tenantId: string, groupId: string, afterUserId: string | undefined, limit: number) {
  const [group, rows] = await Promise.all([
    findGroup(db, tenantId, groupId),
    db
      .select({ id: users.id, userName: users.userName, externalId: users.externalId, displayName: users.displayName, active: users.active, addedAt: groupMembers.createdAt })
      .from(groupMembers)
      .innerJoin(users, and(eq(users.id, groupMembers.userId), eq(users.tenantId, tenantId)))
      // Still filtered by tenant, but `+` keeps that term off index choice: without it SQLite walks the tenant's
      // (tenant_id, user_id) index — every membership of the tenant — instead of the (group_id, user_id) key.
      .where(and(sql`+${groupMembers.tenantId} = ${tenantId}`, eq(groupMembers.groupId, groupId), afterUserId === undefined ? undefined : gt(groupMembers.userId, afterUserId)))
      .orderBy(asc(groupMembers.userId))
      .limit(limit + 1),
  ]);
  if (!group) return undefined;
  const page = cutPage(rows, limit, (row) => row.id);
  return { items: page.items.map((row) => ({ ...row, addedAt: iso(row.addedAt) })), next: page.next };
}

/**
 * Events after `afterSeq`, in seq order. `seq` is assigned when the change's transaction inserts its outbox row
 * (migrations/0005_outbox_triggers.sql) and D1 has one writer, so seq order is commit order: a host app that
 * remembers the last seq it saw never skips an event that committed later with a lower number.
 */
export async function listEventsPage(db: Database, tenantId: string, afterSeq: number, limit: number) {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), gt(events.seq, afterSeq)))
    .orderBy(asc(events.seq))
    .limit(limit + 1);
  const page = cutPage(rows, limit, (row) => String(row.seq));
  return {
    items: page.items.map((row) => ({
      seq: row.seq,
      id: row.id,
      type: row.type,
      occurredAt: iso(row.occurredAt),
      resource: { type: row.resourceType, id: row.resourceId },
      data: parseJson(row.data) ?? {},
      delivery: { status: row.deliveryStatus, attempts: row.attempts },
    })),
    next: page.next,
  };
}

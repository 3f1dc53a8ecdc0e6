/**
 * D1 reads for the console's users and groups pages: searchable, counted, paged lists. Every query takes the tenant
 * id first, so another tenant's id is simply not found (the page answers 404). Single rows and a user's groups come
 * from the SCIM store (src/scim/store.ts), which already answers those questions.
 */
import { and, asc, count, eq, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { containsText } from "../db/contains";
import { groupMembers, groups, users } from "../db/schema";
import { foldKey } from "../scim/resources";

export interface UserListRow {
  id: string;
  userName: string;
  displayName: string | null;
  email: string | null;
  active: boolean;
  source: "scim" | "jit";
}

export type DirectoryUser = typeof users.$inferSelect;

export interface GroupListRow {
  id: string;
  displayName: string;
  externalId: string | null;
  members: number;
}

export interface Paged<T> {
  total: number;
  rows: T[];
}

export interface PageWindow {
  offset: number;
  limit: number;
}

const USER_COLUMNS = { id: users.id, userName: users.userName, displayName: users.displayName, email: users.emailKey, active: users.active, source: users.source };

export async function searchUsers(db: Database, tenantId: string, text: string | undefined, window: PageWindow): Promise<Paged<UserListRow>> {
  const folded = text === undefined ? undefined : foldKey(text);
  const where = and(
    eq(users.tenantId, tenantId),
    folded === undefined ? undefined : or(containsText(users.userNameKey, folded), containsText(sql`COALESCE(${users.emailKey}, '')`, folded), containsText(sql`COALESCE(${users.displayName}, '')`, text!)),
  );
  const [totals, rows] = await Promise.all([
    db.select({ value: count() }).from(users).where(where),
    db.select(USER_COLUMNS).from(users).where(where).orderBy(asc(users.userNameKey)).limit(window.limit).offset(window.offset),
  ]);
  return { total: totals[0]?.value ?? 0, rows };
}

/** The whole row, for the user's page (the SCIM store's `findUser` types only what SCIM writes need). */
export async function findDirectoryUser(db: Database, tenantId: string, id: string): Promise<DirectoryUser | undefined> {
  const rows = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).limit(1);
  return rows[0];
}

/**
 * Member counts in the same query as the groups (here and in the host app's directory API); columns qualified by
 * hand inside the subquery (drizzle leaves them bare).
 */
export const MEMBER_COUNT = sql<number>`(SELECT COUNT(*) FROM group_members gm WHERE gm.group_id = "groups"."id" AND gm.tenant_id = "groups"."tenant_id")`;

export async function searchGroups(db: Database, tenantId: string, text: string | undefined, window: PageWindow): Promise<Paged<GroupListRow>> {
  const where = and(eq(groups.tenantId, tenantId), text === undefined ? undefined : containsText(groups.displayNameKey, foldKey(text)));
  const [totals, rows] = await Promise.all([
    db.select({ value: count() }).from(groups).where(where),
    db
      .select({ id: groups.id, displayName: groups.displayName, externalId: groups.externalId, members: MEMBER_COUNT })
      .from(groups)
      .where(where)
      .orderBy(asc(groups.displayNameKey))
      .limit(window.limit)
      .offset(window.offset),
  ]);
  return { total: totals[0]?.value ?? 0, rows: rows.map((row) => ({ ...row, members: Number(row.members) })) };
}

/** One page of a group's members, by userName. */
export async function groupMembersPage(db: Database, tenantId: string, groupId: string, window: PageWindow): Promise<Paged<UserListRow>> {
  const where = and(eq(groupMembers.tenantId, tenantId), eq(groupMembers.groupId, groupId));
  const [totals, rows] = await Promise.all([
    db.select({ value: count() }).from(groupMembers).where(where),
    db
      .select(USER_COLUMNS)
      .from(groupMembers)
      .innerJoin(users, and(eq(users.id, groupMembers.userId), eq(users.tenantId, tenantId)))
      .where(where)
      .orderBy(asc(users.userNameKey))
      .limit(window.limit)
      .offset(window.offset),
  ]);
  return { total: totals[0]?.value ?? 0, rows };
}

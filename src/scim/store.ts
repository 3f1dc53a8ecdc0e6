/**
 * D1 reads for SCIM. Every query takes the tenant id first; a row of another tenant is never selected, so an id
 * guessed or copied across tenants is simply "not found".
 */
import { and, asc, count, eq, getTableColumns, gt, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { groups, users } from "../db/schema";
import type { JsonObject } from "../lib/json";
import { evaluateFilter } from "./filter-evaluate";
import { comparisonRules } from "./patch";
import { excludesAttribute, projectResource } from "./project";
import { indexedLookup, type ListQuery } from "./query";
import { renderGroup, renderUser, type GroupRef, type MemberRef, type StoredResource } from "./resources";
import { RESOURCE_TYPES, type ResourceKind } from "./schema/definitions";

/** Rows scanned per round trip when a filter has no indexed term. */
const SCAN_CHUNK = 500;

export interface UserRow extends StoredResource {
  tenantId: string;
  userName: string;
  userNameKey: string;
  externalId: string | null;
  active: boolean;
}

export interface GroupRow extends StoredResource {
  tenantId: string;
  displayName: string;
  displayNameKey: string;
  externalId: string | null;
}

export async function findUser(db: Database, tenantId: string, id: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).limit(1);
  return rows[0];
}

export async function findGroup(db: Database, tenantId: string, id: string): Promise<GroupRow | undefined> {
  const rows = await db.select().from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, id))).limit(1);
  return rows[0];
}

/** Groups of each user, for the read-only `groups` attribute (RFC 7643 §4.1.2). */
export async function groupsOfUsers(db: Database, tenantId: string, userIds: string[]): Promise<Map<string, GroupRef[]>> {
  const byUser = new Map<string, GroupRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db.all<{ userId: string; id: string; displayName: string }>(sql`
    SELECT gm.user_id AS userId, g.id AS id, g.display_name AS displayName
    FROM group_members gm JOIN groups g ON g.id = gm.group_id
    WHERE gm.tenant_id = ${tenantId} AND gm.user_id IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))
    ORDER BY g.display_name_key`);
  for (const row of rows) byUser.get(row.userId)?.push({ id: row.id, displayName: row.displayName });
  return byUser;
}

/** Members of each group, in the order they joined (rowid breaks ties within one write). */
export async function membersOfGroups(db: Database, tenantId: string, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
  const byGroup = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  const rows = await db.all<{ groupId: string; id: string; display: string | null }>(sql`
    SELECT gm.group_id AS groupId, u.id AS id, COALESCE(u.display_name, u.user_name) AS display
    FROM group_members gm JOIN users u ON u.id = gm.user_id
    WHERE gm.tenant_id = ${tenantId} AND gm.group_id IN (SELECT value FROM json_each(${JSON.stringify(groupIds)}))
    ORDER BY gm.created_at, gm.rowid`);
  for (const row of rows) byGroup.get(row.groupId)?.push({ id: row.id, display: row.display });
  return byGroup;
}

export async function memberIdsOfGroup(db: Database, tenantId: string, groupId: string): Promise<Set<string>> {
  const rows = await db.all<{ userId: string }>(sql`
    SELECT user_id AS userId FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}`);
  return new Set(rows.map((row) => row.userId));
}

/**
 * A user's groups as a JSON array, computed in the same query as the user row (one round trip, not two).
 * Columns are qualified by hand: inside a select list drizzle renders `${users.id}` unqualified, which the
 * subquery would read as `g.id`.
 */
const GROUPS_OF_USER = sql<string>`(
  SELECT json_group_array(json_object('id', g.id, 'displayName', g.display_name))
  FROM group_members gm JOIN groups g ON g.id = gm.group_id
  WHERE gm.user_id = "users"."id" AND gm.tenant_id = "users"."tenant_id")`;

export type UserRowWithGroups = typeof users.$inferSelect & { groupsJson: string };

/**
 * Users matching a condition, each with its groups, in list order: a selective lookup (id, userName, externalId)
 * for SCIM, or a keyset page (`afterInListOrder`) for the host app's directory API.
 */
export async function selectUsersWithGroups(db: Database, tenantId: string, condition: SQL | undefined, limit = SCAN_CHUNK): Promise<UserRowWithGroups[]> {
  return db
    .select({ ...getTableColumns(users), groupsJson: GROUPS_OF_USER })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), condition))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(limit);
}

export function groupsFrom(row: UserRowWithGroups): GroupRef[] {
  return (JSON.parse(row.groupsJson) as GroupRef[]).sort((a, b) => a.displayName.toLowerCase().localeCompare(b.displayName.toLowerCase()));
}

export async function renderUserById(db: Database, tenantId: string, id: string, baseUrl: string): Promise<JsonObject | undefined> {
  const [row] = await selectUsersWithGroups(db, tenantId, eq(users.id, id));
  return row ? renderUser(row, baseUrl, groupsFrom(row)) : undefined;
}

export async function renderGroupById(db: Database, tenantId: string, id: string, baseUrl: string, withMembers: boolean): Promise<JsonObject | undefined> {
  const row = await findGroup(db, tenantId, id);
  if (!row) return undefined;
  const members = withMembers ? (await membersOfGroups(db, tenantId, [id])).get(id) : undefined;
  return renderGroup(row, baseUrl, members);
}

export interface ListPage {
  totalResults: number;
  resources: JsonObject[];
}

function tableOf(kind: ResourceKind) {
  return kind === "User" ? users : groups;
}

/** The indexed columns a lookup can use, per resource type (`active` exists only on users). */
const LOOKUP_COLUMNS = {
  User: { id: users.id, nameKey: users.userNameKey, externalId: users.externalId, active: users.active },
  Group: { id: groups.id, nameKey: groups.displayNameKey, externalId: groups.externalId, active: undefined },
} as const;

function lookupCondition(kind: ResourceKind, query: ListQuery): SQL | undefined {
  const lookup = query.filter ? indexedLookup(kind, query.filter) : null;
  if (!lookup) return undefined;
  const column = LOOKUP_COLUMNS[kind][lookup.column];
  // A group has no `active`: such a filter can match no group.
  return column ? eq(column, lookup.value) : sql`0`;
}

/** An id, userName or externalId equality: few rows, so their groups can come in the same query. */
function isSelective(query: ListQuery): boolean {
  const lookup = query.filter ? indexedLookup("User", query.filter) : null;
  return lookup !== null && lookup.column !== "active";
}

/** Rows in list order (created, then id: stable across pages), optionally narrowed by an indexed lookup. */
async function selectRows(db: Database, kind: ResourceKind, tenantId: string, narrow: SQL | undefined, offset: number, limit: number) {
  const table = tableOf(kind);
  return db
    .select()
    .from(table)
    .where(and(eq(table.tenantId, tenantId), narrow))
    .orderBy(asc(table.createdAt), asc(table.id))
    .limit(limit)
    .offset(offset);
}

/** Rows after a position in list order (created, then id), or every row when there is none: a keyset condition. */
export function afterInListOrder(table: typeof users | typeof groups, after: { createdAt: number; id: string } | undefined): SQL | undefined {
  return after ? or(gt(table.createdAt, after.createdAt), and(eq(table.createdAt, after.createdAt), gt(table.id, after.id))) : undefined;
}

/** Keyset scan of every row matching `narrow`, chunk by chunk, for filters the index cannot answer alone. */
async function* scanRows(db: Database, kind: ResourceKind, tenantId: string, narrow: SQL | undefined) {
  const table = tableOf(kind);
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const rows = await db
      .select()
      .from(table)
      .where(and(eq(table.tenantId, tenantId), narrow, afterInListOrder(table, after)))
      .orderBy(asc(table.createdAt), asc(table.id))
      .limit(SCAN_CHUNK);
    yield* rows;
    if (rows.length < SCAN_CHUNK) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

function renderBare(kind: ResourceKind, row: UserRow | GroupRow, baseUrl: string): JsonObject {
  return kind === "User" ? renderUser(row, baseUrl, undefined) : renderGroup(row, baseUrl, undefined);
}

/** Adds `groups` (users) or `members` (groups) to a page, unless the projection leaves them out. */
async function completePage(db: Database, kind: ResourceKind, tenantId: string, rows: (UserRow | GroupRow)[], query: ListQuery, baseUrl: string) {
  const ids = rows.map((row) => row.id);
  if (kind === "User") {
    const memberships = excludesAttribute(query.projection, "groups") ? undefined : await groupsOfUsers(db, tenantId, ids);
    return rows.map((row) => renderUser(row, baseUrl, memberships?.get(row.id)));
  }
  const members = excludesAttribute(query.projection, "members") ? undefined : await membersOfGroups(db, tenantId, ids);
  return rows.map((row) => renderGroup(row, baseUrl, members?.get(row.id)));
}

export async function listResources(db: Database, kind: ResourceKind, tenantId: string, query: ListQuery, baseUrl: string): Promise<ListPage> {
  const table = tableOf(kind);
  const narrow = lookupCondition(kind, query);
  const primarySchema = RESOURCE_TYPES[kind].schema;
  let totalResults: number;
  let pageRows: (UserRow | GroupRow)[];
  if (!query.filter) {
    const [total] = await db.select({ value: count() }).from(table).where(eq(table.tenantId, tenantId));
    totalResults = total?.value ?? 0;
    pageRows = query.count === 0 ? [] : await selectRows(db, kind, tenantId, undefined, query.startIndex - 1, query.count);
  } else if (kind === "User" && narrow && isSelective(query)) {
    // The lookup Okta makes before every create: one indexed query that brings each user's groups along.
    const rules = comparisonRules(kind);
    const matches = (await selectUsersWithGroups(db, tenantId, narrow)).filter((row) => evaluateFilter(query.filter!, renderUser(row, baseUrl, undefined), rules, primarySchema));
    const page = matches.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
    const withGroups = !excludesAttribute(query.projection, "groups");
    return {
      totalResults: matches.length,
      resources: page.map((row) => projectResource(renderUser(row, baseUrl, withGroups ? groupsFrom(row) : undefined), query.projection, primarySchema)),
    };
  } else {
    // The index narrows; the evaluator decides. Matches are counted in full so totalResults is exact.
    const rules = comparisonRules(kind);
    const first = query.startIndex - 1;
    pageRows = [];
    totalResults = 0;
    for await (const row of scanRows(db, kind, tenantId, narrow)) {
      if (!evaluateFilter(query.filter, renderBare(kind, row, baseUrl), rules, primarySchema)) continue;
      if (totalResults >= first && pageRows.length < query.count) pageRows.push(row);
      totalResults++;
    }
  }
  const rendered = await completePage(db, kind, tenantId, pageRows, query, baseUrl);
  return { totalResults, resources: rendered.map((resource) => projectResource(resource, query.projection, primarySchema)) };
}

/**
 * What applying one batch writes to D1: the change, its audit rows (which the outbox triggers turn into the host
 * app's events, migrations/0005_outbox_triggers.sql) and, added by the caller, the job's progress — one D1 batch,
 * so all of it commits or none of it does.
 *
 * Applying a batch a second time changes nothing: a membership batch first reads which of its members would
 * really change now (users of the tenant not yet in the group; members still in it) and writes only those, and a
 * deletion only deletes, and audits, rows that still exist.
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "../db/batch";
import { groups } from "../db/schema";
import { newId } from "../lib/ids";
import { membershipStatements } from "../scim/group-membership";
import { auditEntry, type WriteContext } from "../scim/write-context";
import type { BatchOperation } from "./batches";

export interface BatchWrite {
  /** Items this application really changes (the ids its audit rows name). */
  changed: string[];
  statements: BatchItem[];
}

// Every statement here probes by primary key, one item at a time: CROSS JOIN keeps json_each the outer loop, and
// `+tenant_id` keeps SQLite from scanning the tenant's index instead (group-membership.ts, INSERT_MEMBERS) — a batch
// costs the same in a tenant of 100 users as in one of 100,000.
const MEMBERS_TO_ADD = `
  SELECT j.value AS id FROM json_each(?1) j CROSS JOIN users u ON u.id = j.value AND u.tenant_id = ?2
  WHERE EXISTS (SELECT 1 FROM groups g WHERE g.id = ?3 AND g.tenant_id = ?2)
    AND NOT EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ?3 AND gm.user_id = j.value)
  ORDER BY j.key`;
const MEMBERS_TO_REMOVE = `
  SELECT j.value AS id FROM json_each(?1) j CROSS JOIN group_members gm ON gm.group_id = ?3 AND gm.user_id = j.value AND gm.tenant_id = ?2
  ORDER BY j.key`;

/** Adds or removes members of one group; the group's version moves on, since its `members` changed. */
export async function membershipBatchWrite(context: WriteContext, groupId: string, operation: "add_members" | "remove_members", items: readonly string[], origin: { jobId: string; batchId: string }): Promise<BatchWrite> {
  const query = operation === "add_members" ? MEMBERS_TO_ADD : MEMBERS_TO_REMOVE;
  const rows = await context.d1.prepare(query).bind(JSON.stringify(items), context.tenantId, groupId).all<{ id: string }>();
  const changed = rows.results.map((row) => row.id);
  if (changed.length === 0) return { changed, statements: [] };
  const adding = operation === "add_members";
  return {
    changed,
    statements: [
      ...membershipStatements(context, groupId, adding ? { add: changed, remove: [] } : { add: [], remove: changed }),
      context.db
        .update(groups)
        .set({ version: sql`${groups.version} + 1`, updatedAt: context.now })
        .where(and(eq(groups.tenantId, context.tenantId), eq(groups.id, groupId))),
      auditEntry(context, adding ? "group.members_added" : "group.members_removed", "Group", groupId, { count: changed.length, members: changed, ...origin }),
    ],
  };
}

/**
 * Deletes users or groups, with one `user.deleted` / `group.deleted` audit row (and so one event) per row that
 * still exists, shaped like a SCIM DELETE's (src/scim/user-writes.ts, group-writes.ts). Memberships go with them
 * (foreign-key cascades). Set-based: the audit ids are made here and paired with the items in one JSON array.
 */
const DELETION = {
  delete_users: {
    audit: `INSERT INTO audit_log (id, tenant_id, at, actor, action, resource_type, resource_id, detail, request_id)
      SELECT json_extract(j.value, '$[0]'), ?1, ?2, ?3, 'user.deleted', 'User', u.id, json_object('userName', u.user_name), ?4
      FROM json_each(?5) j CROSS JOIN users u ON u.id = json_extract(j.value, '$[1]') AND u.tenant_id = ?1 ORDER BY j.key`,
    remove: "DELETE FROM users WHERE id IN (SELECT value FROM json_each(?2)) AND +tenant_id = ?1",
  },
  delete_groups: {
    audit: `INSERT INTO audit_log (id, tenant_id, at, actor, action, resource_type, resource_id, detail, request_id)
      SELECT json_extract(j.value, '$[0]'), ?1, ?2, ?3, 'group.deleted', 'Group', g.id, json_object('displayName', g.display_name), ?4
      FROM json_each(?5) j CROSS JOIN groups g ON g.id = json_extract(j.value, '$[1]') AND g.tenant_id = ?1 ORDER BY j.key`,
    remove: "DELETE FROM groups WHERE id IN (SELECT value FROM json_each(?2)) AND +tenant_id = ?1",
  },
} as const;

export function deletionStatements(context: WriteContext, operation: "delete_users" | "delete_groups", items: readonly string[]): D1PreparedStatement[] {
  if (items.length === 0) return [];
  const { audit, remove } = DELETION[operation];
  const pairs = JSON.stringify(items.map((item) => [newId("aud"), item]));
  return [
    context.d1.prepare(audit).bind(context.tenantId, context.now, context.actor, context.requestId, pairs),
    context.d1.prepare(remove).bind(context.tenantId, JSON.stringify(items)),
  ];
}

/** The D1 writes of one batch, whatever its operation. */
export async function batchWrite(context: WriteContext, lane: string, operation: BatchOperation, items: readonly string[], origin: { jobId: string; batchId: string }): Promise<BatchWrite> {
  if (operation === "add_members" || operation === "remove_members") return membershipBatchWrite(context, lane, operation, items, origin);
  return { changed: [...items], statements: deletionStatements(context, operation, items) };
}

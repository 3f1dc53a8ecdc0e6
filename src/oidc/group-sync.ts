/**
 * Groups at OIDC sign-in (issue 6 §1): the user's memberships become exactly the groups the ID token's groups
 * claim names — missing groups are created by name, the user is added to the named ones and removed from every
 * other. Runs in the tenant Durable Object's write lane, as one D1 batch with its audit rows (the outbox triggers
 * turn those into events for the host app), so it never interleaves with a SCIM write of the same tenant.
 */
import { and, eq, inArray } from "drizzle-orm";
import { runBatch, type BatchItem } from "../db/batch";
import { groupMembers, groups } from "../db/schema";
import { newId } from "../lib/ids";
import { columnsOf } from "../scim/group-writes";
import { membershipStatements } from "../scim/group-membership";
import { foldKey, prepareGroup } from "../scim/resources";
import { auditEntry, type WriteContext } from "../scim/write-context";

/** An IdP that sends more than this is misconfigured (Okta caps its groups claim at 100); the rest are not synced. */
export const MAX_CLAIMED_GROUPS = 200;
const MAX_GROUP_NAME_LENGTH = 256;

/** The claim's value as group names: strings only, trimmed, one per folded name, bounded. */
export function readGroupsClaim(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const byKey = new Map<string, string>();
  for (const item of value) {
    if (typeof item !== "string") continue;
    const name = item.trim();
    if (name === "" || name.length > MAX_GROUP_NAME_LENGTH || byKey.has(foldKey(name))) continue;
    byKey.set(foldKey(name), name);
    if (byKey.size === MAX_CLAIMED_GROUPS) break;
  }
  return [...byKey.values()];
}

export interface GroupSyncSummary {
  created: string[];
  added: string[];
  removed: string[];
}

export async function syncGroupsFromClaim(context: WriteContext, userId: string, names: string[]): Promise<GroupSyncSummary> {
  const wanted = new Map(names.map((name) => [foldKey(name), name]));
  const tenant = eq(groups.tenantId, context.tenantId);
  const existing = wanted.size
    ? await context.db.select({ id: groups.id, key: groups.displayNameKey, displayName: groups.displayName, version: groups.version }).from(groups).where(and(tenant, inArray(groups.displayNameKey, [...wanted.keys()])))
    : [];
  const current = await context.db
    .select({ id: groups.id, key: groups.displayNameKey, displayName: groups.displayName, version: groups.version })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.tenantId, context.tenantId), eq(groupMembers.userId, userId)));
  const currentKeys = new Set(current.map((group) => group.key));
  const statements: BatchItem[] = [];
  const summary: GroupSyncSummary = { created: [], added: [], removed: [] };

  for (const [key, name] of wanted) {
    const found = existing.find((group) => group.key === key);
    if (found && currentKeys.has(key)) continue;
    let groupId: string;
    if (found) {
      groupId = found.id;
      statements.push(context.db.update(groups).set({ version: found.version + 1, updatedAt: context.now }).where(and(tenant, eq(groups.id, found.id))));
    } else {
      const prepared = prepareGroup({ displayName: name });
      if (!prepared.ok) continue;
      groupId = newId("grp");
      statements.push(context.db.insert(groups).values({ id: groupId, tenantId: context.tenantId, ...columnsOf(prepared.value), version: 1, createdAt: context.now, updatedAt: context.now }));
      statements.push(auditEntry(context, "group.created", "Group", groupId, { displayName: name, source: "oidc" }));
      summary.created.push(name);
    }
    statements.push(...membershipStatements(context, groupId, { add: [userId], remove: [] }));
    statements.push(auditEntry(context, "group.members_added", "Group", groupId, { count: 1, members: [userId], source: "oidc" }));
    summary.added.push(found?.displayName ?? name);
  }
  for (const group of current) {
    if (wanted.has(group.key)) continue;
    statements.push(context.db.update(groups).set({ version: group.version + 1, updatedAt: context.now }).where(and(tenant, eq(groups.id, group.id))));
    statements.push(...membershipStatements(context, group.id, { add: [], remove: [userId] }));
    statements.push(auditEntry(context, "group.members_removed", "Group", group.id, { count: 1, members: [userId], source: "oidc" }));
    summary.removed.push(group.displayName);
  }
  if (statements.length) await runBatch(context.d1, statements);
  return summary;
}

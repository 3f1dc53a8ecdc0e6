/**
 * Group membership changes: which of the named ids are members now, which are users of this tenant, what a
 * request's steps add up to, and the set-based statements that apply it. Membership is written over a JSON array
 * (`json_each`), so a 10,000-member push is a handful of statements, not 10,000, and every id is checked to be a
 * user of the tenant inside the same statement that links it. Runs inside the tenant's Durable Object.
 */
import { and, eq, sql } from "drizzle-orm";
import { groupMembers, groups, users } from "../db/schema";
import type { JsonObject } from "../lib/json";
import { evaluateFilter, scopeRules } from "./filter-evaluate";
import { scimTypeError } from "./errors";
import type { MemberStep } from "./group-members";
import { intendedMembers, NO_PENDING, type PendingMembership } from "./membership-schedule";
import { comparisonRules } from "./patch";
import { memberIdsOfGroup, type GroupRow } from "./store";
import type { WriteContext } from "./write-context";

export interface MembershipChange {
  add: string[];
  remove: string[];
}

/** Ids in `ids` that are not users of this tenant (a group id, a typo, another tenant's user). */
export async function unknownMembers(context: WriteContext, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await context.db.all<{ id: string }>(sql`
    SELECT j.value AS id FROM json_each(${JSON.stringify(ids)}) j
    LEFT JOIN users u ON u.id = j.value AND u.tenant_id = ${context.tenantId}
    WHERE u.id IS NULL LIMIT 5`);
  return rows.map((row) => row.id);
}

export function unknownMembersError(ids: string[]) {
  return scimTypeError(
    "invalidValue",
    `Members must be users of this tenant (nested groups are not supported); unknown: ${ids.map((id) => `"${id}"`).join(", ")}. Provision the users first.`,
  );
}

/** Which of `ids` are members of the group now (a primary-key lookup per id). */
async function membersAmong(context: WriteContext, groupId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await context.db.all<{ userId: string }>(sql`
    SELECT user_id AS userId FROM group_members
    WHERE group_id = ${groupId} AND tenant_id = ${context.tenantId} AND user_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  return new Set(rows.map((row) => row.userId));
}

/** Whether the steps can only be resolved against the whole current member list. */
export function needsCurrentMembers(steps: MemberStep[]): boolean {
  return steps.some((step) => step.kind === "replace" || step.kind === "removeAll" || step.kind === "removeWhere");
}

/** Every id an add or remove step names, and the ids it would add. */
export function idsNamed(steps: MemberStep[]): { touched: string[]; added: string[] } {
  const touched = new Set<string>();
  const added = new Set<string>();
  for (const step of steps) {
    if (step.kind !== "add" && step.kind !== "remove") continue;
    for (const id of step.ids) {
      touched.add(id);
      if (step.kind === "add") added.add(id);
    }
  }
  return { touched: [...touched], added: [...added] };
}

export interface GroupSnapshot {
  row: GroupRow | undefined;
  /** Which of the named ids are members now. */
  present: Set<string>;
  /** Which of the ids to add are users of this tenant. */
  known: Set<string>;
}

/** The group, and what the change needs to know about the ids it names, in one D1 round trip. */
export async function readGroupSnapshot(context: WriteContext, id: string, touched: string[], added: string[]): Promise<GroupSnapshot> {
  const { db, tenantId } = context;
  const [rows, presentRows, knownRows] = await db.batch([
    db.select().from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.id, id))).limit(1),
    db
      .select({ userId: groupMembers.userId })
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, id), eq(groupMembers.tenantId, tenantId), sql`${groupMembers.userId} IN (SELECT value FROM json_each(${JSON.stringify(touched)}))`)),
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), sql`${users.id} IN (SELECT value FROM json_each(${JSON.stringify(added)}))`)),
  ]);
  return { row: rows[0], present: new Set(presentRows.map((r) => r.userId)), known: new Set(knownRows.map((r) => r.id)) };
}

/** How each of `ids` is shown in a members list (display name, else userName), for filters on `display`. */
async function displaysOf(context: WriteContext, ids: Iterable<string>): Promise<Map<string, string | null>> {
  const rows = await context.db.all<{ id: string; display: string | null }>(sql`
    SELECT id, COALESCE(display_name, user_name) AS display FROM users
    WHERE tenant_id = ${context.tenantId} AND id IN (SELECT value FROM json_each(${JSON.stringify([...ids])}))`);
  return new Map(rows.map((row) => [row.id, row.display]));
}

/**
 * Folds the steps of one request into the final additions and removals, relative to the membership the group
 * will have once its pending provisioning jobs are applied (`pending`; src/scim/membership-schedule.ts) — so a
 * request that arrives while a job runs means what it would mean had the job already finished.
 */
export async function resolveMemberSteps(
  context: WriteContext,
  groupId: string,
  steps: MemberStep[],
  pending: PendingMembership = NO_PENDING,
  presentAmongNamed?: Set<string>,
): Promise<MembershipChange> {
  if (!needsCurrentMembers(steps)) {
    // Only adds and removes by id: an overlay, no need to read a possibly huge member list.
    const add = new Set<string>();
    const remove = new Set<string>();
    for (const step of steps) {
      const ids = step.kind === "add" || step.kind === "remove" ? step.ids : [];
      for (const id of ids) {
        if (step.kind === "add") {
          add.add(id);
          remove.delete(id);
        } else {
          remove.add(id);
          add.delete(id);
        }
      }
    }
    // Keep only real changes (adding a member twice or removing a non-member changes nothing), so the version,
    // the audit log and the host app's events reflect what actually happened.
    const present = intendedMembers(presentAmongNamed ?? (await membersAmong(context, groupId, [...add, ...remove])), pending);
    return { add: [...add].filter((id) => !present.has(id)), remove: [...remove].filter((id) => present.has(id)) };
  }
  const before = intendedMembers(await memberIdsOfGroup(context.db, context.tenantId, groupId), pending);
  let members = new Set(before);
  let displays: Map<string, string | null> | undefined;
  for (const step of steps) {
    switch (step.kind) {
      case "add":
        for (const id of step.ids) members.add(id);
        break;
      case "remove":
        for (const id of step.ids) members.delete(id);
        break;
      case "replace":
        members = new Set(step.ids);
        break;
      case "removeAll":
        members.clear();
        break;
      case "removeWhere": {
        displays ??= await displaysOf(context, before);
        const rules = comparisonRules("Group");
        for (const id of [...members]) {
          const member: JsonObject = { value: id, type: "User", display: displays.get(id) ?? null };
          if (evaluateFilter(step.filter, member, scopeRules(rules, { attribute: "members" }))) members.delete(id);
        }
        break;
      }
    }
  }
  return { add: [...members].filter((id) => !before.has(id)), remove: [...before].filter((id) => !members.has(id)) };
}

// CROSS JOIN keeps json_each the outer loop (one primary-key probe per id): with a plain JOIN SQLite chose to scan
// every user of the tenant and search the JSON for each — O(users × ids), seconds per batch in a 10,000-user tenant.
const INSERT_MEMBERS = `
  INSERT OR IGNORE INTO group_members (tenant_id, group_id, user_id, created_at)
  SELECT ?1, ?2, u.id, ?3 FROM json_each(?4) j CROSS JOIN users u ON u.id = j.value AND u.tenant_id = ?1`;
const DELETE_MEMBERS = `
  DELETE FROM group_members WHERE tenant_id = ?1 AND group_id = ?2 AND user_id IN (SELECT value FROM json_each(?3))`;

/**
 * Statements that apply a membership change. INSERT OR IGNORE and DELETE make a repeated change harmless, and
 * the join on `users … tenant_id` means only this tenant's users can ever be linked.
 */
export function membershipStatements(context: WriteContext, groupId: string, change: MembershipChange): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (change.add.length) {
    statements.push(context.d1.prepare(INSERT_MEMBERS).bind(context.tenantId, groupId, context.now, JSON.stringify(change.add)));
  }
  if (change.remove.length) {
    statements.push(context.d1.prepare(DELETE_MEMBERS).bind(context.tenantId, groupId, JSON.stringify(change.remove)));
  }
  return statements;
}


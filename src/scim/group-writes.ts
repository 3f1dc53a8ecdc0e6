/**
 * Group writes, applied one at a time by the tenant's Durable Object. Membership changes are computed as
 * "add these ids, remove those" and written with set-based statements over a JSON array (`json_each`), so a
 * 10,000-member push is a handful of statements, not 10,000, and every id is checked to be a user of the tenant
 * inside the same statement that links it.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { runBatch } from "../db/batch";
import { groupMembers, groups, users } from "../db/schema";
import { newId } from "../lib/ids";
import { deepEqual, isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { evaluateFilter } from "./filter";
import { failed, ok, scimStatusError, scimTypeError, type ScimResult } from "./errors";
import { planGroupPatch, type MemberStep } from "./group-members";
import { applyPatch, comparisonRules, parsePatchRequest } from "./patch";
import { etagOf, prepareGroup, renderGroup, storedFormOf, type PreparedGroup } from "./resources";
import { findGroup, memberIdsOfGroup, membersOfGroups, type GroupRow } from "./store";
import { auditEntry, checkIfMatch, uniqueViolation, type WriteContext, type WriteOutcome } from "./write-context";

const notFound = (id: string) => scimStatusError(404, `No group with id "${id}" in this tenant.`);
const taken = (displayName: string) => scimTypeError("uniqueness", `A group named "${displayName}" already exists.`);

export interface MembershipChange {
  add: string[];
  remove: string[];
}

async function nameTakenByOther(context: WriteContext, key: string, exceptId: string | null): Promise<boolean> {
  const rows = await context.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.tenantId, context.tenantId), eq(groups.displayNameKey, key), exceptId ? ne(groups.id, exceptId) : undefined))
    .limit(1);
  return rows.length > 0;
}

/** Ids in `ids` that are not users of this tenant (a group id, a typo, another tenant's user). */
async function unknownMembers(context: WriteContext, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await context.db.all<{ id: string }>(sql`
    SELECT j.value AS id FROM json_each(${JSON.stringify(ids)}) j
    LEFT JOIN users u ON u.id = j.value AND u.tenant_id = ${context.tenantId}
    WHERE u.id IS NULL LIMIT 5`);
  return rows.map((row) => row.id);
}

function unknownMembersError(ids: string[]) {
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
function needsCurrentMembers(steps: MemberStep[]): boolean {
  return steps.some((step) => step.kind === "replace" || step.kind === "removeAll" || step.kind === "removeWhere");
}

/** Every id an add or remove step names, and the ids it would add. */
function idsNamed(steps: MemberStep[]): { touched: string[]; added: string[] } {
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

interface GroupSnapshot {
  row: GroupRow | undefined;
  /** Which of the named ids are members now. */
  present: Set<string>;
  /** Which of the ids to add are users of this tenant. */
  known: Set<string>;
}

/** The group, and what the change needs to know about the ids it names, in one D1 round trip. */
async function readGroupSnapshot(context: WriteContext, id: string, touched: string[], added: string[]): Promise<GroupSnapshot> {
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

/** Folds the steps of one request into the final additions and removals. */
export async function resolveMemberSteps(context: WriteContext, groupId: string, steps: MemberStep[], presentAmongNamed?: Set<string>): Promise<MembershipChange> {
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
    const present = presentAmongNamed ?? (await membersAmong(context, groupId, [...add, ...remove]));
    return { add: [...add].filter((id) => !present.has(id)), remove: [...remove].filter((id) => present.has(id)) };
  }
  const before = await memberIdsOfGroup(context.db, context.tenantId, groupId);
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
        displays ??= new Map((await membersOfGroups(context.db, context.tenantId, [groupId])).get(groupId)!.map((m) => [m.id, m.display]));
        const rules = comparisonRules("Group");
        for (const id of [...members]) {
          const member: JsonObject = { value: id, type: "User", display: displays.get(id) ?? null };
          if (evaluateFilter(step.filter, member, { caseExact: (p) => rules.caseExact({ attribute: "members", subAttribute: p.attribute }), isDateTime: () => false })) members.delete(id);
        }
        break;
      }
    }
  }
  return { add: [...members].filter((id) => !before.has(id)), remove: [...before].filter((id) => !members.has(id)) };
}

const INSERT_MEMBERS = `
  INSERT OR IGNORE INTO group_members (tenant_id, group_id, user_id, created_at)
  SELECT ?1, ?2, u.id, ?3 FROM json_each(?4) j JOIN users u ON u.id = j.value AND u.tenant_id = ?1`;
const DELETE_MEMBERS = `
  DELETE FROM group_members WHERE tenant_id = ?1 AND group_id = ?2 AND user_id IN (SELECT value FROM json_each(?3))`;

/**
 * Statements that apply a membership change. INSERT OR IGNORE and DELETE make a repeated change harmless, and
 * the join on `users … tenant_id` means only this tenant's users can ever be linked.
 */
function membershipStatements(context: WriteContext, groupId: string, change: MembershipChange): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (change.add.length) {
    statements.push(context.d1.prepare(INSERT_MEMBERS).bind(context.tenantId, groupId, context.now, JSON.stringify(change.add)));
  }
  if (change.remove.length) {
    statements.push(context.d1.prepare(DELETE_MEMBERS).bind(context.tenantId, groupId, JSON.stringify(change.remove)));
  }
  return statements;
}

async function respond(context: WriteContext, row: GroupRow, status: 200 | 201): Promise<WriteOutcome> {
  const members = (await membersOfGroups(context.db, context.tenantId, [row.id])).get(row.id);
  return { status, resource: renderGroup(row, context.baseUrl, members) };
}

function columnsOf(prepared: PreparedGroup) {
  return {
    displayName: prepared.displayName,
    displayNameKey: prepared.displayNameKey,
    externalId: prepared.externalId,
    data: JSON.stringify(prepared.data),
  };
}

export async function createGroup(context: WriteContext, body: JsonValue | undefined): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const prepared = prepareGroup(body);
  if (!prepared.ok) return prepared;
  const group = prepared.value;
  if (await nameTakenByOther(context, group.displayNameKey, null)) return failed(taken(group.displayName));
  const members = group.memberIds ?? [];
  const unknown = await unknownMembers(context, members);
  if (unknown.length) return failed(unknownMembersError(unknown));
  const row: GroupRow = { id: newId("grp"), tenantId: context.tenantId, ...columnsOf(group), version: 1, createdAt: context.now, updatedAt: context.now };
  try {
    await runBatch(context.d1, [
      context.db.insert(groups).values(row),
      ...membershipStatements(context, row.id, { add: members, remove: [] }),
      auditEntry(context, "group.created", "Group", row.id, { displayName: group.displayName, membersAdded: members.length }),
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(group.displayName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  return ok(await respond(context, row, 201));
}

/** Writes attributes and membership together, bumping the version once if anything changed. */
async function writeGroup(context: WriteContext, before: GroupRow, prepared: PreparedGroup, change: MembershipChange, knownUsers?: Set<string>): Promise<ScimResult<GroupRow>> {
  const attributesChanged = !deepEqual(JSON.parse(before.data) as JsonValue, prepared.data);
  if (!attributesChanged && change.add.length === 0 && change.remove.length === 0) return ok(before);
  if (prepared.displayNameKey !== before.displayNameKey && (await nameTakenByOther(context, prepared.displayNameKey, before.id))) {
    return failed(taken(prepared.displayName));
  }
  const unknown = knownUsers ? change.add.filter((id) => !knownUsers.has(id)).slice(0, 5) : await unknownMembers(context, change.add);
  if (unknown.length) return failed(unknownMembersError(unknown));
  const after: GroupRow = { ...before, ...columnsOf(prepared), version: before.version + 1, updatedAt: context.now };
  const audits = [];
  if (attributesChanged) audits.push(auditEntry(context, "group.updated", "Group", before.id, { displayName: prepared.displayName }));
  if (change.add.length) audits.push(auditEntry(context, "group.members_added", "Group", before.id, { count: change.add.length, members: change.add.slice(0, 100) }));
  if (change.remove.length) audits.push(auditEntry(context, "group.members_removed", "Group", before.id, { count: change.remove.length, members: change.remove.slice(0, 100) }));
  try {
    await runBatch(context.d1, [
      context.db
        .update(groups)
        .set({ ...columnsOf(prepared), version: after.version, updatedAt: after.updatedAt })
        .where(and(eq(groups.tenantId, context.tenantId), eq(groups.id, before.id))),
      ...membershipStatements(context, before.id, change),
      ...audits,
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(prepared.displayName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  return ok(after);
}

/**
 * PUT /Groups/{id}. A body without `members` leaves membership as it is, and `"members": []` empties the group:
 * a rename-only PUT must never drop everyone (RFC 7644 §3.5.1 would clear them; losing memberships is worse).
 */
export async function replaceGroup(context: WriteContext, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const before = await findGroup(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const prepared = prepareGroup(body);
  if (!prepared.ok) return prepared;
  const change = prepared.value.memberIds
    ? await resolveMemberSteps(context, id, [{ kind: "replace", ids: prepared.value.memberIds }])
    : { add: [], remove: [] };
  const written = await writeGroup(context, before, prepared.value, change);
  return written.ok ? ok(await respond(context, written.value, 200)) : written;
}

/**
 * PATCH /Groups/{id}. Answers 204 with the new ETag (RFC 7644 §3.5.2 allows it): IdPs do not read the group
 * back, and echoing a 10,000-member list on every membership change would cost more than the change.
 */
export async function patchGroup(context: WriteContext, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const operations = parsePatchRequest(body);
  if (!operations.ok) return operations;
  const plan = planGroupPatch(operations.value);
  if (!plan.ok) return plan;
  const steps = plan.value.memberSteps;
  // Adds and removes by id (what Okta and Entra send) need only the named ids: read them with the group at once.
  const snapshot = needsCurrentMembers(steps) ? undefined : await readGroupSnapshot(context, id, idsNamed(steps).touched, idsNamed(steps).added);
  const before = snapshot ? snapshot.row : await findGroup(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const current = storedFormOf(renderGroup(before, context.baseUrl, undefined));
  const patched = applyPatch("Group", current, plan.value.attributeOperations);
  if (!patched.ok) return patched;
  const prepared = prepareGroup(patched.value);
  if (!prepared.ok) return prepared;
  const change = await resolveMemberSteps(context, id, steps, snapshot?.present);
  const written = await writeGroup(context, before, prepared.value, change, snapshot?.known);
  return written.ok ? ok({ status: 204, etag: etagOf(written.value.version) }) : written;
}

export async function deleteGroup(context: WriteContext, id: string, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const before = await findGroup(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  await context.db.batch([
    context.db.delete(groups).where(and(eq(groups.tenantId, context.tenantId), eq(groups.id, id))),
    auditEntry(context, "group.deleted", "Group", id, { displayName: before.displayName }),
  ]);
  return ok({ status: 204 });
}

/**
 * Group writes, applied one at a time by the tenant's Durable Object. Membership changes are computed as
 * "add these ids, remove those" and applied with set-based statements (group-membership.ts).
 */
import { and, eq, ne } from "drizzle-orm";
import { runBatch } from "../db/batch";
import { groups } from "../db/schema";
import { newId } from "../lib/ids";
import { deepEqual, isPlainObject, type JsonValue } from "../lib/json";
import { failed, ok, scimStatusError, scimTypeError, type ScimResult } from "./errors";
import { planGroupPatch } from "./group-members";
import {
  idsNamed,
  membershipStatements,
  needsCurrentMembers,
  readGroupSnapshot,
  resolveMemberSteps,
  unknownMembers,
  unknownMembersError,
  type MembershipChange,
} from "./group-membership";
import { applyPatch, parsePatchRequest } from "./patch";
import { etagOf, prepareGroup, renderGroup, storedFormOf, type PreparedGroup } from "./resources";
import { findGroup, membersOfGroups, type GroupRow } from "./store";
import { auditEntry, checkIfMatch, uniqueViolation, type WriteContext, type WriteOutcome } from "./write-context";

const notFound = (id: string) => scimStatusError(404, `No group with id "${id}" in this tenant.`);
const taken = (displayName: string) => scimTypeError("uniqueness", `A group named "${displayName}" already exists.`);

async function nameTakenByOther(context: WriteContext, key: string, exceptId: string | null): Promise<boolean> {
  const rows = await context.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.tenantId, context.tenantId), eq(groups.displayNameKey, key), exceptId ? ne(groups.id, exceptId) : undefined))
    .limit(1);
  return rows.length > 0;
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
  let snapshot: Awaited<ReturnType<typeof readGroupSnapshot>> | undefined;
  if (!needsCurrentMembers(steps)) {
    const named = idsNamed(steps);
    snapshot = await readGroupSnapshot(context, id, named.touched, named.added);
  }
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

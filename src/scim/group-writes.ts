/**
 * Group writes, applied one at a time by the tenant's Durable Object. Membership changes are computed as
 * "add these ids, remove those" and applied with set-based statements (group-membership.ts) — at once when they
 * are small, or as a provisioning job in batches when they touch more than 100 members (issue 5 §1; the
 * scheduler, src/tenant-do/provisioning-jobs.ts, decides). The group's own attributes are always written at once.
 *
 * What the IdP is told while a job runs (RFC 7644): its normal answer, at once — the request has been accepted
 * and will be applied exactly as asked, and no SCIM status says "accepted, in progress" (202 is not among
 * §3.12's codes, and Okta treats anything but 200/201/204 as a failure). POST answers 201 and PUT 200 with the
 * group as it stands (§3.3, §3.5.1): attributes already changed, `members` showing what is applied so far. PATCH
 * answers 204 with the new ETag (§3.5.2 allows 204 and Okta accepts it), so it never claims a member list. Each
 * applied batch moves the group's version on, so an ETag read mid-job never matches a later state.
 */
import { and, eq, ne } from "drizzle-orm";
import { runBatch } from "../db/batch";
import { groups } from "../db/schema";
import { newId } from "../lib/ids";
import { deepEqual, isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
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
import type { MembershipScheduler } from "./membership-schedule";
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

export function columnsOf(prepared: PreparedGroup) {
  return {
    displayName: prepared.displayName,
    displayNameKey: prepared.displayNameKey,
    externalId: prepared.externalId,
    data: JSON.stringify(prepared.data),
  };
}

export async function createGroup(context: WriteContext, jobs: MembershipScheduler, body: JsonValue | undefined): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const prepared = prepareGroup(body);
  if (!prepared.ok) return prepared;
  const group = prepared.value;
  if (await nameTakenByOther(context, group.displayNameKey, null)) return failed(taken(group.displayName));
  const members = group.memberIds ?? [];
  const unknown = await unknownMembers(context, members);
  if (unknown.length) return failed(unknownMembersError(unknown));
  const row: GroupRow = { id: newId("grp"), tenantId: context.tenantId, ...columnsOf(group), version: 1, createdAt: context.now, updatedAt: context.now };
  const scheduled = jobs.schedule(context, row.id, { add: members, remove: [] });
  const queued: JsonObject = scheduled.jobId ? { jobId: scheduled.jobId, membersQueued: members.length - scheduled.now.add.length } : {};
  try {
    await runBatch(context.d1, [
      context.db.insert(groups).values(row),
      ...membershipStatements(context, row.id, scheduled.now),
      auditEntry(context, "group.created", "Group", row.id, { displayName: group.displayName, membersAdded: scheduled.now.add.length, ...queued }),
      // Who joined, as its own event (the host app learns members from members_added events, whatever the path).
      ...(scheduled.now.add.length ? [auditEntry(context, "group.members_added", "Group", row.id, { count: scheduled.now.add.length, members: scheduled.now.add })] : []),
      ...scheduled.statements,
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(group.displayName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  await scheduled.committed();
  return ok(await respond(context, row, 201));
}

/**
 * Writes attributes and membership together (the membership part at once, or as a job when it is large), bumping
 * the version once if anything changed.
 */
async function writeGroup(
  context: WriteContext,
  jobs: MembershipScheduler,
  before: GroupRow,
  prepared: PreparedGroup,
  change: MembershipChange,
  knownUsers?: Set<string>,
): Promise<ScimResult<GroupRow>> {
  const attributesChanged = !deepEqual(JSON.parse(before.data) as JsonValue, prepared.data);
  if (!attributesChanged && change.add.length === 0 && change.remove.length === 0) return ok(before);
  if (prepared.displayNameKey !== before.displayNameKey && (await nameTakenByOther(context, prepared.displayNameKey, before.id))) {
    return failed(taken(prepared.displayName));
  }
  const unknown = knownUsers ? change.add.filter((id) => !knownUsers.has(id)).slice(0, 5) : await unknownMembers(context, change.add);
  if (unknown.length) return failed(unknownMembersError(unknown));
  const after: GroupRow = { ...before, ...columnsOf(prepared), version: before.version + 1, updatedAt: context.now };
  const scheduled = jobs.schedule(context, before.id, change);
  const { now } = scheduled;
  const audits = [];
  if (attributesChanged) audits.push(auditEntry(context, "group.updated", "Group", before.id, { displayName: prepared.displayName }));
  if (now.add.length) audits.push(auditEntry(context, "group.members_added", "Group", before.id, { count: now.add.length, members: now.add }));
  if (now.remove.length) audits.push(auditEntry(context, "group.members_removed", "Group", before.id, { count: now.remove.length, members: now.remove }));
  try {
    await runBatch(context.d1, [
      context.db
        .update(groups)
        .set({ ...columnsOf(prepared), version: after.version, updatedAt: after.updatedAt })
        .where(and(eq(groups.tenantId, context.tenantId), eq(groups.id, before.id))),
      ...membershipStatements(context, before.id, now),
      ...audits,
      ...scheduled.statements,
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(prepared.displayName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  await scheduled.committed();
  return ok(after);
}

/**
 * PUT /Groups/{id}. A body without `members` leaves membership as it is, and `"members": []` empties the group:
 * a rename-only PUT must never drop everyone (RFC 7644 §3.5.1 would clear them; losing memberships is worse).
 */
export async function replaceGroup(context: WriteContext, jobs: MembershipScheduler, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const before = await findGroup(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const prepared = prepareGroup(body);
  if (!prepared.ok) return prepared;
  const change = prepared.value.memberIds
    ? await resolveMemberSteps(context, id, [{ kind: "replace", ids: prepared.value.memberIds }], jobs.pending(id))
    : { add: [], remove: [] };
  const written = await writeGroup(context, jobs, before, prepared.value, change);
  return written.ok ? ok(await respond(context, written.value, 200)) : written;
}

/**
 * PATCH /Groups/{id}. Answers 204 with the new ETag (RFC 7644 §3.5.2 allows it): IdPs do not read the group
 * back, and echoing a 10,000-member list on every membership change would cost more than the change.
 */
export async function patchGroup(context: WriteContext, jobs: MembershipScheduler, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const operations = parsePatchRequest(body);
  if (!operations.ok) return operations;
  const plan = planGroupPatch(operations.value);
  if (!plan.ok) return plan;
  const steps = plan.value.memberSteps;
  // Adds and removes by id (what Okta and Entra send) need only the named ids: read them with the group at once.
  let snapshot: Awaited<ReturnType<typeof readGroupSnapshot>> | undefined;
  let named: string[] | undefined;
  if (!needsCurrentMembers(steps)) {
    const ids = idsNamed(steps);
    named = ids.touched;
    snapshot = await readGroupSnapshot(context, id, ids.touched, ids.added);
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
  const change = steps.length ? await resolveMemberSteps(context, id, steps, jobs.pending(id, named), snapshot?.present) : { add: [], remove: [] };
  const written = await writeGroup(context, jobs, before, prepared.value, change, snapshot?.known);
  return written.ok ? ok({ status: 204, etag: etagOf(written.value.version) }) : written;
}

/** DELETE /Groups/{id}: at once, even mid-job; the group's unfinished jobs are cancelled in the same step. */
export async function deleteGroup(context: WriteContext, jobs: MembershipScheduler, id: string, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const before = await findGroup(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const cancelled = jobs.cancelGroup(context, id);
  await runBatch(context.d1, [
    context.db.delete(groups).where(and(eq(groups.tenantId, context.tenantId), eq(groups.id, id))),
    auditEntry(context, "group.deleted", "Group", id, { displayName: before.displayName }),
    ...cancelled.statements,
  ]);
  await cancelled.committed();
  return ok({ status: 204 });
}

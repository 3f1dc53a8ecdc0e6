/**
 * User writes. They run inside the tenant's Durable Object, one at a time, so the uniqueness checks here cannot
 * race another request of the same tenant; each write is one D1 batch (a transaction) with its audit entry.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { users } from "../db/schema";
import { newId } from "../lib/ids";
import { deepEqual, type JsonObject, type JsonValue } from "../lib/json";
import { failed, ok, scimStatusError, scimTypeError, type ScimResult } from "./errors";
import { applyPatch, parsePatchRequest } from "./patch";
import { prepareUser, renderUser, storedFormOf, type PreparedUser } from "./resources";
import { findUser, groupsOfUsers, type UserRow } from "./store";
import { auditEntry, checkIfMatch, uniqueViolation, type WriteContext, type WriteOutcome } from "./write-context";
import { isPlainObject } from "../lib/json";

const notFound = (id: string) => scimStatusError(404, `No user with id "${id}" in this tenant.`);
const taken = (userName: string) => scimTypeError("uniqueness", `A user with userName "${userName}" already exists.`);

async function userNameTakenByOther(context: WriteContext, key: string, exceptId: string | null): Promise<boolean> {
  const rows = await context.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, context.tenantId), eq(users.userNameKey, key), exceptId ? ne(users.id, exceptId) : undefined))
    .limit(1);
  return rows.length > 0;
}

function columnsOf(prepared: PreparedUser) {
  return {
    userName: prepared.userName,
    userNameKey: prepared.userNameKey,
    externalId: prepared.externalId,
    active: prepared.active,
    emailKey: prepared.emailKey,
    displayName: prepared.displayName,
    data: JSON.stringify(prepared.data),
  };
}

async function respond(context: WriteContext, row: UserRow, status: 200 | 201): Promise<WriteOutcome> {
  const memberships = await groupsOfUsers(context.db, context.tenantId, [row.id]);
  return { status, resource: renderUser(row, context.baseUrl, memberships.get(row.id)) };
}

/** The lifecycle event a change amounts to, for the audit log (and, later, the host app's events). */
function changeAction(before: UserRow, after: PreparedUser): string {
  if (before.active && !after.active) return "user.deactivated";
  if (!before.active && after.active) return "user.reactivated";
  return "user.updated";
}

/** Writes a new state of an existing user; unchanged data is not rewritten and keeps its version (and ETag). */
async function writeUser(context: WriteContext, before: UserRow, prepared: PreparedUser, action?: string): Promise<ScimResult<UserRow>> {
  if (deepEqual(JSON.parse(before.data) as JsonValue, prepared.data) && !action) return ok(before);
  if (prepared.userNameKey !== before.userNameKey && (await userNameTakenByOther(context, prepared.userNameKey, before.id))) {
    return failed(taken(prepared.userName));
  }
  const after: UserRow = { ...before, ...columnsOf(prepared), version: before.version + 1, updatedAt: context.now };
  try {
    await context.db.batch([
      context.db
        .update(users)
        .set({
          ...columnsOf(prepared),
          version: after.version,
          updatedAt: after.updatedAt,
          // Deactivation ends every session at once: sessions name the version they were issued under.
          ...(before.active && !prepared.active ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
        })
        .where(and(eq(users.tenantId, context.tenantId), eq(users.id, before.id))),
      auditEntry(context, action ?? changeAction(before, prepared), "User", before.id, { userName: prepared.userName, active: prepared.active }),
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(prepared.userName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  return ok(after);
}

/**
 * POST /Users. Okta re-POSTs a user it deactivated earlier (same externalId) when the user is assigned again:
 * that restores the deactivated account instead of failing, so the person keeps their id, groups and history.
 */
export async function createUser(context: WriteContext, body: JsonValue | undefined): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const prepared = prepareUser(body);
  if (!prepared.ok) return prepared;
  const user = prepared.value;
  const restorable = await findRestorable(context, user);
  if (restorable) {
    const written = await writeUser(context, restorable, user, "user.reactivated");
    return written.ok ? ok(await respond(context, written.value, 201)) : written;
  }
  if (await userNameTakenByOther(context, user.userNameKey, null)) return failed(taken(user.userName));
  const row: UserRow = {
    id: newId("usr"),
    tenantId: context.tenantId,
    ...columnsOf(user),
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  };
  try {
    await context.db.batch([
      context.db.insert(users).values({ ...row, emailKey: user.emailKey, displayName: user.displayName, source: "scim" }),
      auditEntry(context, "user.created", "User", row.id, { userName: user.userName, active: user.active }),
    ]);
  } catch (error) {
    const conflict = uniqueViolation(error, taken(user.userName).detail);
    if (conflict) return failed(conflict);
    throw error;
  }
  return ok(await respond(context, row, 201));
}

/**
 * The common create — a userName and externalId no one has — as two statements that re-check that in SQL when
 * they run: insert the user unless the userName is taken or a deactivated user has this externalId, and write
 * the audit row only if the user row went in. `changes` of the first tells the caller whether it did.
 */
const INSERT_USER_IF_NEW = `
  INSERT INTO users (id, tenant_id, user_name, user_name_key, external_id, active, email_key, display_name, data, source, version, created_at, updated_at)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'scim', 1, ?10, ?10
  WHERE NOT EXISTS (SELECT 1 FROM users WHERE tenant_id = ?2 AND user_name_key = ?4)
    AND (?5 IS NULL OR NOT EXISTS (SELECT 1 FROM users WHERE tenant_id = ?2 AND external_id = ?5 AND active = 0))`;
const AUDIT_IF_INSERTED = `
  INSERT INTO audit_log (id, tenant_id, at, actor, action, resource_type, resource_id, detail, request_id)
  SELECT ?1, ?2, ?3, ?4, 'user.created', 'User', ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?5 AND tenant_id = ?2)`;

export interface CreateRequest {
  context: WriteContext;
  body: JsonValue | undefined;
}

/**
 * Creates several users in one D1 round trip (the tenant's write lane batches consecutive creates). Each request
 * whose conditional insert did not apply — a taken userName, a deactivated user to restore — then takes the full
 * path (`createUser`) on its own, in order.
 */
export async function createUsers(requests: CreateRequest[]): Promise<ScimResult<WriteOutcome>[]> {
  const plans = requests.map(({ context, body }) => {
    if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
    const prepared = prepareUser(body);
    if (!prepared.ok) return prepared;
    const row: UserRow = { id: newId("usr"), tenantId: context.tenantId, ...columnsOf(prepared.value), version: 1, createdAt: context.now, updatedAt: context.now };
    return ok({ context, prepared: prepared.value, row });
  });
  const statements = plans.flatMap((plan) => {
    if (!plan.ok) return [];
    const { context, prepared, row } = plan.value;
    return [
      context.d1.prepare(INSERT_USER_IF_NEW).bind(row.id, row.tenantId, row.userName, row.userNameKey, row.externalId, row.active ? 1 : 0, prepared.emailKey, prepared.displayName, row.data, row.createdAt),
      context.d1
        .prepare(AUDIT_IF_INSERTED)
        .bind(newId("aud"), row.tenantId, context.now, context.actor, row.id, JSON.stringify({ userName: row.userName, active: row.active }), context.requestId),
    ];
  });
  const first = plans.find((plan) => plan.ok);
  const results = first?.ok ? await first.value.context.d1.batch(statements) : [];
  const outcomes: ScimResult<WriteOutcome>[] = [];
  let position = 0;
  for (const [index, plan] of plans.entries()) {
    if (!plan.ok) {
      outcomes.push(plan);
      continue;
    }
    const inserted = results[position]!.meta.changes === 1;
    position += 2;
    const { context, row } = plan.value;
    // A new user belongs to no group yet: no need to read memberships back.
    outcomes.push(inserted ? ok({ status: 201, resource: renderUser(row, context.baseUrl, []) }) : await createUser(context, requests[index]!.body));
  }
  return outcomes;
}

/** A deactivated user this create should bring back: same externalId, or same userName with no other externalId. */
async function findRestorable(context: WriteContext, user: PreparedUser): Promise<UserRow | undefined> {
  if (user.externalId) {
    const [byExternalId] = await context.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, context.tenantId), eq(users.externalId, user.externalId), eq(users.active, false)))
      .limit(1);
    if (byExternalId) return byExternalId;
  }
  const [byName] = await context.db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, context.tenantId), eq(users.userNameKey, user.userNameKey)))
    .limit(1);
  if (byName && !byName.active && (byName.externalId === null || byName.externalId === user.externalId)) return byName;
  return undefined;
}

/** PUT /Users/{id}: the body is the whole new state (Okta wizard apps deactivate this way, with active:false). */
export async function replaceUser(context: WriteContext, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  if (!isPlainObject(body)) return failed(scimTypeError("invalidSyntax", "The request body must be a JSON object."));
  const before = await findUser(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const prepared = prepareUser(body);
  if (!prepared.ok) return prepared;
  const written = await writeUser(context, before, prepared.value);
  return written.ok ? ok(await respond(context, written.value, 200)) : written;
}

/** PATCH /Users/{id}: operations applied to the stored user, then checked as a whole like a PUT. */
export async function patchUser(context: WriteContext, id: string, body: JsonValue | undefined, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const operations = parsePatchRequest(body);
  if (!operations.ok) return operations;
  const before = await findUser(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  const current = storedFormOf(renderUser(before, context.baseUrl, undefined));
  const patched = applyPatch("User", current, operations.value);
  if (!patched.ok) return patched;
  const prepared = prepareUser(patched.value as JsonObject);
  if (!prepared.ok) return prepared;
  const written = await writeUser(context, before, prepared.value);
  return written.ok ? ok(await respond(context, written.value, 200)) : written;
}

/** DELETE /Users/{id} (Entra deletes; Okta only deactivates). Memberships go with the user (FK cascade). */
export async function deleteUser(context: WriteContext, id: string, ifMatch?: string): Promise<ScimResult<WriteOutcome>> {
  const before = await findUser(context.db, context.tenantId, id);
  if (!before) return failed(notFound(id));
  const precondition = checkIfMatch(ifMatch, before.version);
  if (precondition) return failed(precondition);
  await context.db.batch([
    context.db.delete(users).where(and(eq(users.tenantId, context.tenantId), eq(users.id, id))),
    auditEntry(context, "user.deleted", "User", id, { userName: before.userName }),
  ]);
  return ok({ status: 204 });
}

/**
 * Just-in-time provisioning at sign-in: a user the IdP vouched for, created with source "jit". Returns the new
 * (or, if SCIM created the same userName meanwhile, the existing active) user's id; null when that user is
 * deactivated — a just-in-time sign-in never reactivates anyone.
 */
export async function provisionJitUser(context: WriteContext, user: { userName: string; givenName: string | null; familyName: string | null; email: string | null }): Promise<string | null> {
  const prepared = prepareUser({
    userName: user.userName,
    name: { givenName: user.givenName, familyName: user.familyName },
    emails: user.email ? [{ value: user.email, primary: true, type: "work" }] : null,
    active: true,
  });
  if (!prepared.ok) return null;
  const [existing] = await context.db.select().from(users).where(and(eq(users.tenantId, context.tenantId), eq(users.userNameKey, prepared.value.userNameKey))).limit(1);
  if (existing) return existing.active ? existing.id : null;
  const id = newId("usr");
  await context.db.batch([
    context.db.insert(users).values({ id, tenantId: context.tenantId, ...columnsOf(prepared.value), source: "jit", version: 1, createdAt: context.now, updatedAt: context.now }),
    auditEntry(context, "user.created", "User", id, { userName: prepared.value.userName, source: "jit" }),
  ]);
  return id;
}

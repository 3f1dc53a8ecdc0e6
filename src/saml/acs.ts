/**
 * The assertion consumer's steps, in order (the I/O shell around the pure verifier):
 *   bound and decode the form → verify the response (pure) → find the user → single-use checks and the log entry
 *   (the tenant's Durable Object) → a session.
 * Each step either passes or ends the attempt with one reason code, which is recorded for the tenant admin.
 */
import { and, eq } from "drizzle-orm";
import { openDatabase, type Database } from "../db/client";
import { users } from "../db/schema";
import type { Env } from "../env";
import { foldKey, scimRoles } from "../scim/resources";
import { groupsOfUsers } from "../scim/store";
import type { TenantRow } from "../tenants/service";
import { tenantUrls } from "../tenants/urls";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/tenant-do";
import type { SessionClaims } from "../sessions/tokens";
import type { AttemptRecord } from "./attempts";
import { readProfile } from "./attributes";
import { decodeSamlResponse } from "./acs-decode";
import { samlFailure, type SamlFailure } from "./errors";
import { verifySamlResponse, type VerifiedAssertion } from "./response";
import { loadSamlSettings } from "./settings-store";

export interface AcsSuccess {
  ok: true;
  claims: SessionClaims;
  /** The IdP's SessionNotOnOrAfter, if any: the session ends then at the latest. */
  notAfter: number | null;
}

export interface AcsFailure {
  ok: false;
  failure: SamlFailure;
  nameId: string | null;
  userId: string | null;
  /** True when the tenant's Durable Object already logged the attempt (the single-use step). */
  logged: boolean;
}

export type AcsResult = AcsSuccess | AcsFailure;

export interface UserRecord {
  id: string;
  active: boolean;
  userName: string;
  emailKey: string | null;
  displayName: string | null;
  data: string;
  sessionVersion: number;
}

/**
 * The user the NameID names: their SCIM userName, compared case-insensitively (GitHub EMU's rule). Read through
 * D1's Sessions API so a sign-in can be served by the nearest read replica; a miss is checked again on the
 * primary, so a user provisioned a moment ago is not turned away by replication lag.
 */
export async function findUser(env: Env, tenantId: string, nameId: string): Promise<UserRecord | undefined> {
  const lookup = (db: Database) =>
    db
      .select({ id: users.id, active: users.active, userName: users.userName, emailKey: users.emailKey, displayName: users.displayName, data: users.data, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.userNameKey, foldKey(nameId))))
      .limit(1);
  if (typeof env.DB.withSession === "function") {
    const [nearby] = await lookup(openDatabase(env.DB.withSession("first-unconstrained") as unknown as D1Database));
    if (nearby) return nearby;
  }
  const [primary] = await lookup(openDatabase(env.DB));
  return primary;
}

async function sessionClaims(env: Env, tenant: TenantRow, user: UserRecord, assertion: VerifiedAssertion): Promise<SessionClaims> {
  const profile = readProfile(assertion.attributes);
  const scimGroups = profile.groups ? null : (await groupsOfUsers(openDatabase(env.DB), tenant.id, [user.id])).get(user.id) ?? [];
  const name = [profile.givenName, profile.familyName].filter(Boolean).join(" ") || user.displayName;
  return {
    tenant: tenant.slug,
    tid: tenant.id,
    sub: user.id,
    email: profile.email ?? user.emailKey ?? user.userName,
    name: name || null,
    given_name: profile.givenName,
    family_name: profile.familyName,
    groups: profile.groups ?? scimGroups!.map((group) => group.displayName),
    roles: [...new Set([...profile.roles, ...scimRoles(user.data)])],
    idp_roles: profile.roles,
    sv: user.sessionVersion,
    amr: ["saml"],
  };
}

export async function consumeAssertion(env: Env, tenant: TenantRow, origin: string, meta: WriteMeta, samlResponse: string | null): Promise<AcsResult> {
  const failed = (failure: SamlFailure, nameId: string | null = null, userId: string | null = null): AcsFailure => ({ ok: false, failure, nameId, userId, logged: false });
  const settings = await loadSamlSettings(openDatabase(env.DB), tenant.id);
  if (!settings) return failed(samlFailure("no_saml_connection").failure);
  const decoded = decodeSamlResponse(samlResponse);
  if (!decoded.ok) return failed(decoded.failure);
  const urls = tenantUrls(origin);
  const now = Date.now();
  const verified = await verifySamlResponse(decoded.xml, settings, {
    issuer: settings.issuer,
    audience: urls.entityId,
    acsUrl: urls.acsUrl,
    now,
    clockSkewSeconds: settings.clockSkewSeconds,
    allowIdpInitiated: settings.allowIdpInitiated,
  });
  if (!verified.ok) return failed(verified.failure);
  const assertion = verified.assertion;

  let user = await findUser(env, tenant.id, assertion.nameId);
  if (!user && settings.jitProvisioning) {
    const profile = readProfile(assertion.attributes);
    const id = await tenantWriter(env, tenant.id).provisionUserAtSignIn(meta, { userName: assertion.nameId, givenName: profile.givenName, familyName: profile.familyName, email: profile.email });
    if (id) user = await findUser(env, tenant.id, assertion.nameId);
  }
  if (!user) return failed(samlFailure("unknown_user", { nameId: assertion.nameId, hint: "assign the user to the app in the IdP so SCIM provisions them, or enable just-in-time creation" }).failure, assertion.nameId);
  if (!user.active) return failed(samlFailure("user_deactivated", { nameId: assertion.nameId }).failure, assertion.nameId, user.id);

  const attempt: AttemptRecord = {
    result: "success",
    reason: null,
    userId: user.id,
    nameId: assertion.nameId,
    detail: { assertionId: assertion.assertionId, signedBy: assertion.signedBy, signed: assertion.signed, idpIssueInstant: assertion.issueInstant, edgeTime: new Date(now).toISOString(), spInitiated: assertion.inResponseTo !== null },
    requestId: meta.requestId,
  };
  const outcome = await tenantWriter(env, tenant.id).completeSamlSignIn(meta, { assertionId: assertion.assertionId, replayableUntil: assertion.replayableUntil, inResponseTo: assertion.inResponseTo }, attempt);
  // The Durable Object has logged this outcome already, success or not.
  if (outcome !== "ok") return { ok: false, failure: { reason: outcome, detail: {} }, nameId: assertion.nameId, userId: user.id, logged: true };
  return { ok: true, claims: await sessionClaims(env, tenant, user, assertion), notAfter: assertion.sessionNotOnOrAfter };
}

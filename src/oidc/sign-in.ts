/**
 * OIDC sign-in, the I/O shell around the pure checks (issue 6 §1). The callback's steps, in order:
 *   single-use state (the tenant's Durable Object) → code exchange with the PKCE verifier → ID token verified
 *   against the issuer's JWKS → find (or just-in-time create) the user → groups from the claim and the log entry
 *   (the Durable Object) → session claims.
 * Each step either passes or ends the attempt with one reason code, which is recorded for the tenant admin.
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { openDatabase } from "../db/client";
import type { Env } from "../env";
import { findUser } from "../saml/acs";
import type { AttemptRecord } from "../saml/attempts";
import { scimRoles } from "../scim/resources";
import { groupsOfUsers } from "../scim/store";
import type { SessionClaims } from "../sessions/tokens";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/types";
import type { TenantRow } from "../tenants/service";
import type { OidcConnectionSettings } from "./connection";
import { OIDC_FETCH_TIMEOUT_MS } from "./discovery";
import { oidcFailure, type OidcFailure } from "./errors";
import { readGroupsClaim } from "./group-sync";
import { verifyIdToken } from "./id-token";
import { exchangeCode } from "./token-request";

export const OIDC_CALLBACK_PATH = "/oidc/callback";
/** Ids and values the IdP echoes back are short; longer ones are not ours (bounded before any lookup). */
const MAX_CALLBACK_PARAM_CHARS = 4096;

/**
 * One key set per JWKS URL per isolate. jose fetches it on first use and refetches it once when a token names a
 * `kid` it does not hold, which is how an IdP's key rotation is picked up at once. Accepted trade-off: no cooldown
 * between such refetches — each one costs a callback with an unused state from `/login`, so a forged `kid` buys
 * an attacker at most one JWKS fetch per sign-in attempt, and a sign-in right after a rotation never fails.
 */
const keySets = new Map<string, JWTVerifyGetKey>();
function issuerKeys(jwksUri: string): JWTVerifyGetKey {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: OIDC_FETCH_TIMEOUT_MS, cacheMaxAge: 60 * 60 * 1000, cooldownDuration: 0 });
    keySets.set(jwksUri, keys);
  }
  return keys;
}

/** The authorize redirect (OIDC Core §3.1.2.1) for a new sign-in whose state the tenant's Durable Object keeps. */
export async function authorizeUrl(env: Env, meta: WriteMeta, settings: OidcConnectionSettings, origin: string, returnTo: string | null): Promise<string> {
  const started = await tenantWriter(env, meta.tenantId).createOidcSignIn(meta, returnTo);
  const url = new URL(settings.discovery.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", `${origin}${OIDC_CALLBACK_PATH}`);
  url.searchParams.set("scope", settings.scopes.join(" "));
  url.searchParams.set("state", started.state);
  url.searchParams.set("nonce", started.nonce);
  url.searchParams.set("code_challenge", started.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}

export type CallbackResult =
  | { ok: true; claims: SessionClaims; returnTo: string | null }
  | { ok: false; failure: OidcFailure; email: string | null; userId: string | null; returnTo: string | null };

function stringClaim(claims: JWTPayload, name: string): string | null {
  const value = claims[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

export async function completeCallback(env: Env, tenant: TenantRow, origin: string, meta: WriteMeta, settings: OidcConnectionSettings, query: URLSearchParams): Promise<CallbackResult> {
  let returnTo: string | null = null;
  const failed = (failure: OidcFailure, email: string | null = null, userId: string | null = null): CallbackResult => ({ ok: false, failure, email, userId, returnTo });
  const state = query.get("state");
  const code = query.get("code");
  if (!state || state.length > MAX_CALLBACK_PARAM_CHARS) return failed(oidcFailure("callback_malformed", { state: false }).failure);
  // Consumed first, whatever the rest says: an error answer or a bad code still uses up its state.
  const consumed = await tenantWriter(env, tenant.id).consumeOidcSignIn(meta, state);
  if (!consumed.ok) return failed(oidcFailure(consumed.reason).failure);
  returnTo = consumed.pending.returnTo;
  // RFC 9207 §2.4: an `iss` on the callback names who answered; another issuer's answer is a mix-up attack.
  const answeredBy = query.get("iss");
  if (answeredBy !== null && answeredBy !== settings.issuer) return failed(oidcFailure("callback_issuer_mismatch", { iss: answeredBy.slice(0, 256), expected: settings.issuer }).failure);
  const idpError = query.get("error");
  if (idpError !== null) return failed(oidcFailure("idp_error", { error: idpError.slice(0, 64), description: (query.get("error_description") ?? "").slice(0, 200) }).failure);
  if (!code || code.length > MAX_CALLBACK_PARAM_CHARS) return failed(oidcFailure("callback_malformed", { code: false }).failure);

  const exchanged = await exchangeCode(settings, { code, codeVerifier: consumed.pending.codeVerifier, redirectUri: `${origin}${OIDC_CALLBACK_PATH}` });
  if (!exchanged.ok) return failed(oidcFailure(exchanged.reason, exchanged.detail).failure);
  const now = Date.now();
  const verified = await verifyIdToken(exchanged.unverifiedIdToken, issuerKeys(settings.discovery.jwksUri), {
    issuer: settings.issuer,
    clientId: settings.clientId,
    nonce: consumed.pending.nonce,
    clockSkewSeconds: settings.clockSkewSeconds,
    now,
  });
  if (!verified.ok) return failed(verified.failure);
  return signInVerified(env, tenant, meta, settings, verified.claims, now, returnTo);
}

/** The user of a verified ID token: email = SCIM userName, the rule SAML uses (src/saml/acs.ts). */
async function signInVerified(env: Env, tenant: TenantRow, meta: WriteMeta, settings: OidcConnectionSettings, verifiedClaims: JWTPayload, now: number, returnTo: string | null): Promise<CallbackResult> {
  const failed = (failure: OidcFailure, email: string | null = null, userId: string | null = null): CallbackResult => ({ ok: false, failure, email, userId, returnTo });
  const email = stringClaim(verifiedClaims, "email");
  if (!email) return failed(oidcFailure("email_missing", { sub: stringClaim(verifiedClaims, "sub") }).failure);
  // The email picks the account: one the IdP itself says is unverified could be anyone's (account takeover).
  if (verifiedClaims.email_verified === false) return failed(oidcFailure("email_unverified", { email }).failure, email);
  const givenName = stringClaim(verifiedClaims, "given_name");
  const familyName = stringClaim(verifiedClaims, "family_name");
  const writer = tenantWriter(env, tenant.id);
  let user = await findUser(env, tenant.id, email);
  if (!user && settings.jitProvisioning) {
    const id = await writer.provisionUserAtSignIn(meta, { userName: email, givenName, familyName, email });
    if (id) user = await findUser(env, tenant.id, email);
  }
  if (!user) return failed(oidcFailure("unknown_user", { email, hint: "assign the user to the app in the IdP so SCIM provisions them, or enable just-in-time creation" }).failure, email);
  if (!user.active) return failed(oidcFailure("user_deactivated", { email }).failure, email, user.id);

  // An absent claim reads as no groups: Okta leaves the claim out when the user matches none of its filter, and
  // keeping old memberships then would keep privileges Okta took away. The log says whether it was there.
  const claimedGroups = settings.groupsSource === "claim" ? readGroupsClaim(verifiedClaims[settings.groupsClaim]) : null;
  const attempt: AttemptRecord = {
    protocol: "oidc",
    result: "success",
    reason: null,
    userId: user.id,
    nameId: email,
    detail: {
      sub: stringClaim(verifiedClaims, "sub"),
      idpIssuedAt: typeof verifiedClaims.iat === "number" ? new Date(verifiedClaims.iat * 1000).toISOString() : null,
      edgeTime: new Date(now).toISOString(),
      groupsSource: settings.groupsSource,
      groupsClaimPresent: verifiedClaims[settings.groupsClaim] !== undefined,
      ...(claimedGroups === null ? { groupsClaimIgnored: verifiedClaims[settings.groupsClaim] !== undefined } : {}),
    },
    requestId: meta.requestId,
  };
  await writer.completeOidcSignIn(meta, user.id, claimedGroups, attempt);
  const groups = (await groupsOfUsers(openDatabase(env.DB), tenant.id, [user.id])).get(user.id) ?? [];
  const name = stringClaim(verifiedClaims, "name") ?? ([givenName, familyName].filter(Boolean).join(" ") || user.displayName);
  return {
    ok: true,
    returnTo,
    claims: {
      tenant: tenant.slug,
      tid: tenant.id,
      sub: user.id,
      email,
      name: name || null,
      given_name: givenName,
      family_name: familyName,
      groups: groups.map((group) => group.displayName),
      roles: scimRoles(user.data),
      idp_roles: [],
      sv: user.sessionVersion,
      amr: ["oidc"],
    },
  };
}

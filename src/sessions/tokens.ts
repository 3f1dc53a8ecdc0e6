/**
 * Session tokens: JWTs signed with jose (ES256 or EdDSA), one per sign-in, that the host app can verify itself
 * against `/.well-known/jwks.json`. Gatehouse's own endpoints also check them against D1 on every request, which
 * is what makes a SCIM deactivation end a session at once.
 */
import { createLocalJWKSet, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { newId } from "../lib/ids";
import type { SigningKeys } from "./keys";

/** A working day; the IdP's SessionNotOnOrAfter shortens it, never lengthens it. */
export const SESSION_TTL_SECONDS = 8 * 3600;

export interface SessionClaims {
  /** Tenant slug and id. */
  tenant: string;
  tid: string;
  /** User id (`usr_…`). */
  sub: string;
  email: string;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  groups: string[];
  /** Role values: the IdP's role attribute at sign-in, plus the user's SCIM roles then. */
  roles: string[];
  /** Only the role values the IdP asserted at sign-in (the console re-reads SCIM roles live; src/admin/access.ts). */
  idp_roles: string[];
  /** The user's session version at sign-in (src/db/schema.ts users.session_version). */
  sv: number;
  /** How the user signed in. */
  amr: ["saml"] | ["oidc"];
}

export interface VerifiedSession extends SessionClaims {
  jti: string;
  iat: number;
  exp: number;
}

export async function issueSessionToken(claims: SessionClaims, keys: SigningKeys, origin: string, now: number, notAfter: number | null): Promise<{ token: string; jti: string; expiresAt: number }> {
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = Math.min(issuedAt + SESSION_TTL_SECONDS, notAfter === null ? Number.POSITIVE_INFINITY : Math.floor(notAfter / 1000));
  const jti = newId("ses");
  const token = await new SignJWT({ ...claims } as unknown as JWTPayload)
    .setProtectedHeader({ alg: keys.alg, kid: keys.kid, typ: "JWT" })
    .setIssuer(origin)
    .setAudience(origin)
    .setSubject(claims.sub)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(keys.privateKey);
  return { token, jti, expiresAt: expiresAt * 1000 };
}

/** Verifies signature, issuer and audience (this tenant's origin: a token of another tenant is refused), and expiry. */
export async function verifySessionToken(token: string, keys: SigningKeys, origin: string, now: number): Promise<VerifiedSession | null> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: keys.published }), {
      issuer: origin,
      audience: origin,
      algorithms: ["ES256", "EdDSA"],
      currentDate: new Date(now),
    });
    if (typeof payload.tid !== "string" || typeof payload.sv !== "number" || typeof payload.jti !== "string") return null;
    return payload as unknown as VerifiedSession;
  } catch {
    return null;
  }
}

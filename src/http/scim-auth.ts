/**
 * SCIM authentication, in the three shapes Okta's SCIM connector offers: `Authorization: Bearer <token>`
 * (HTTP Header / OAuth bearer), the bare token as the whole header value, and HTTP Basic with the token as the
 * password. Failures are SCIM JSON 401s with a `WWW-Authenticate` challenge (RFC 7235 §3.1, RFC 7644 §2).
 * The per-tenant rate limit runs first, so guessing tokens is throttled like everything else. The check itself is
 * made by the tenant's Durable Object, which issues and revokes the tokens (src/tenant-do/token-registry.ts).
 */
import { createMiddleware } from "hono/factory";
import type { ScimEnv } from "../env";
import { base64DecodeStrict, utf8DecodeStrict } from "../lib/bytes";
import { scimStatusError } from "../scim/errors";
import { scimErrorResponse } from "../scim/respond";
import { tenantWriter } from "../tenant-do/stub";
import { hashToken, TOKEN_REFUSALS } from "../tenants/scim-tokens";

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="scim", Basic realm="scim"' };
/** Longest Authorization header read; a token is 52 characters. */
const MAX_AUTHORIZATION_LENGTH = 1024;
/** The limiter's period (wrangler.toml `ratelimits`): when an IdP may try again. */
const RATE_LIMIT_RETRY_AFTER_SECONDS = 10;

/** Extracts the presented token from an Authorization header, or null when there is none in a known shape. */
export function presentedToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_AUTHORIZATION_LENGTH) return null;
  const value = header.trim();
  const space = value.indexOf(" ");
  if (space === -1) return value || null;
  const scheme = value.slice(0, space).toLowerCase();
  const credentials = value.slice(space + 1).trim();
  if (scheme === "bearer") return credentials || null;
  if (scheme === "basic") {
    const bytes = base64DecodeStrict(credentials);
    if (!bytes) return null;
    let decoded: string;
    try {
      decoded = utf8DecodeStrict(bytes);
    } catch {
      return null;
    }
    const colon = decoded.indexOf(":");
    return (colon === -1 ? decoded : decoded.slice(colon + 1)) || null;
  }
  return null;
}

export const scimRateLimit = createMiddleware<ScimEnv>(async (c, next) => {
  const { success } = await c.env.SCIM_RATE_LIMITER.limit({ key: c.var.tenant.id });
  if (!success) {
    return scimErrorResponse(scimStatusError(429, "Too many requests for this tenant; retry after the delay in Retry-After."), {
      "Retry-After": String(RATE_LIMIT_RETRY_AFTER_SECONDS),
    });
  }
  await next();
});

export const scimAuth = createMiddleware<ScimEnv>(async (c, next) => {
  const token = presentedToken(c.req.header("authorization"));
  if (!token) return scimErrorResponse(scimStatusError(401, "Authorization is required: send the SCIM token as a Bearer token."), CHALLENGE);
  // Only the hash leaves this isolate; the tenant's Durable Object holds the authoritative token set.
  const tokenHash = await hashToken(token);
  const check = await tenantWriter(c.env, c.var.tenant.id).authenticate(c.var.tenant.id, tokenHash);
  if (!check.ok) return scimErrorResponse(scimStatusError(401, TOKEN_REFUSALS[check.reason]), CHALLENGE);
  c.set("scimTokenId", check.tokenId);
  c.set("scimTokenHash", tokenHash);
  await next();
});

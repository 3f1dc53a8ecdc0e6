/**
 * Host-app API key authentication for `/api/directory/*`: `Authorization: Bearer gh_api_…` (RFC 6750 §2.1) and
 * nothing else — no key in the query string (it would end up in access logs and Referer headers, RFC 6750 §5.3),
 * no cookie (a browser sends cookies on cross-site requests; a header it does not).
 *
 * The tenant's Durable Object checks the key (src/tenant-do/token-registry.ts): it issued and revokes the keys,
 * so its in-memory set is authoritative and a revocation holds for the very next request, with no D1 read per
 * request. The check runs outside the object's write lane, so reads are not queued behind SCIM writes.
 */
import { createMiddleware } from "hono/factory";
import { directoryErrorResponse } from "../directory/errors";
import type { TenantEnv } from "../env";
import { sha256Hex } from "../lib/bytes";
import { tenantWriter } from "../tenant-do/stub";
import { API_KEY_PATTERN } from "../tenants/api-keys";

/** Longest Authorization header read; a key is 50 characters. */
const MAX_AUTHORIZATION_LENGTH = 256;

export const apiKeyAuth = createMiddleware<TenantEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) return directoryErrorResponse("missing_api_key");
  const key = header.length <= MAX_AUTHORIZATION_LENGTH ? /^Bearer +(\S+)$/i.exec(header.trim())?.[1] : undefined;
  // Only the shape keys are issued in is looked up: arbitrary input is neither hashed nor sent to the object.
  if (key === undefined || !API_KEY_PATTERN.test(key)) return directoryErrorResponse("unknown_api_key");
  // Only the hash leaves this isolate. The object compares it with the tenant's own keys alone, so another
  // tenant's key is unknown here.
  const check = await tenantWriter(c.env, c.var.tenant.id).authenticateApiKey(c.var.tenant.id, await sha256Hex(key));
  if (!check.ok) return directoryErrorResponse(check.reason);
  await next();
});

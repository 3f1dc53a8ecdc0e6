/**
 * Records every SCIM request on a tenant host — 401, 404, 429 and 500 answers included — in the tenant Durable
 * Object's request log, for the console's activity page. The answer is produced first and returned untouched; the
 * record is written afterwards through `waitUntil`, and any failure of it is logged here, never thrown into the
 * SCIM response (an IdP must not see a provisioning error because the console's log had a problem).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ScimEnv } from "../env";
import { isPlainObject, parseJson, type JsonValue } from "../lib/json";
import { truncate } from "../lib/text";
import type { ScimRequestEntry } from "../tenant-do/request-log";
import { tenantWriter } from "../tenant-do/stub";
import { detectDialect, isEntraShapedPatch } from "./dialect";

const MAX_PATH_LENGTH = 300;
const MAX_DETAIL_LENGTH = 500;
const MAX_USER_AGENT_LENGTH = 200;
/** Error bodies are a few hundred bytes; read no more than this of one. */
const MAX_ERROR_BODY_CHARS = 4096;

/** PATCH bodies shaped like Entra's, noted by the route that parsed them (the body stream can be read only once). */
const entraShapedPatches = new WeakSet<Request>();

/** Called by the PATCH routes with the body they already parsed: a cheap look for Entra's capitalised ops. */
export function notePatchBody(c: Context<ScimEnv>, body: JsonValue): void {
  if (isEntraShapedPatch(body)) entraShapedPatches.add(c.req.raw);
}

/** `scimType: detail` from an RFC 7644 §3.12 error body, or null when the body is not one. */
export function errorDetailOf(bodyText: string): string | null {
  const body = parseJson(bodyText.slice(0, MAX_ERROR_BODY_CHARS));
  if (!isPlainObject(body)) return null;
  const detail = typeof body.detail === "string" ? body.detail : "";
  const text = typeof body.scimType === "string" ? `${body.scimType}: ${detail}` : detail;
  return text ? truncate(text, MAX_DETAIL_LENGTH) : null;
}

function entryOf(c: Context<ScimEnv>, startedAt: number): ScimRequestEntry {
  const url = new URL(c.req.url);
  const userAgent = c.req.header("user-agent") ?? null;
  return {
    at: startedAt,
    method: c.req.method,
    path: truncate(url.pathname + url.search, MAX_PATH_LENGTH),
    status: c.res.status,
    durationMs: Math.max(0, Date.now() - startedAt),
    errorDetail: null,
    // Set by scimAuth only once the token checked out; absent for 401s and 429s.
    tokenId: (c.get("scimTokenId") as string | undefined) ?? null,
    userAgent: userAgent === null ? null : truncate(userAgent, MAX_USER_AGENT_LENGTH),
    dialect: detectDialect({ method: c.req.method, path: url.pathname, userAgent, entraShapedPatch: entraShapedPatches.has(c.req.raw) }),
  };
}

function logFailure(c: Context<ScimEnv>, error: unknown): void {
  console.error(JSON.stringify({ at: "scim_request_log_failed", requestId: c.var.requestId, error: error instanceof Error ? error.message : String(error) }));
}

async function writeEntry(c: Context<ScimEnv>, entry: ScimRequestEntry, errorBody: Response | null): Promise<void> {
  const tenantId = c.var.tenant.id;
  try {
    const errorDetail = errorBody ? errorDetailOf(await errorBody.text()) : null;
    await tenantWriter(c.env, tenantId).recordScimRequest(tenantId, { ...entry, errorDetail });
  } catch (error) {
    logFailure(c, error);
  }
}

export const recordScimRequests = createMiddleware<ScimEnv>(async (c, next) => {
  const startedAt = Date.now();
  await next();
  // Only tenant hosts have a log; the operator host's SCIM paths are a bare 404.
  if (!c.var.tenant) return;
  try {
    const entry = entryOf(c, startedAt);
    // A copy of the error body, read after the answer has gone (the original streams to the IdP unchanged).
    const errorBody = entry.status >= 400 && c.res.body ? c.res.clone() : null;
    c.executionCtx.waitUntil(writeEntry(c, entry, errorBody));
  } catch (error) {
    logFailure(c, error);
  }
});

/** The SCIM wire format: every response `application/scim+json`, every error an RFC 7644 §3.12 body. */
import type { JsonObject } from "../lib/json";
import { scimErrorBody, type ScimError } from "./errors";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function scimResponse(status: number, body: JsonObject | null, headers: Record<string, string> = {}): Response {
  if (body === null) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": SCIM_CONTENT_TYPE, ...headers } });
}

export function scimErrorResponse(error: ScimError, headers: Record<string, string> = {}): Response {
  return scimResponse(error.status, scimErrorBody(error) as JsonObject, headers);
}

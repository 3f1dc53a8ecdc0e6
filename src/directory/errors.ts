/**
 * The directory API's errors: one table of stable codes, and one function that turns a code into the wire answer
 * `{"error": "…", "code": "…"}`. Messages say what to fix; none echoes the request back or names another tenant.
 */
import { MAX_PAGE_LIMIT } from "./paging";

/** RFC 6750 §3: a challenge on every 401; `error="invalid_token"` only when a key was presented (§3.1). */
const REALM = 'Bearer realm="gatehouse-directory"';

const DIRECTORY_ERRORS = {
  missing_api_key: { status: 401, error: "Send the tenant's API key as `Authorization: Bearer gh_api_…`." },
  unknown_api_key: { status: 401, error: "The API key is not valid for this tenant." },
  revoked_api_key: { status: 401, error: "The API key was revoked. Issue a new one: gatehouse api-key issue <tenant>." },
  invalid_limit: { status: 400, error: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}.` },
  invalid_cursor: { status: 400, error: "cursor must be the `next` value of an earlier page of the same list." },
  invalid_after: { status: 400, error: "after must be the seq of an event already read (a whole number, 0 to start)." },
  group_not_found: { status: 404, error: "No such group in this tenant." },
  not_found: { status: 404, error: "No such directory endpoint." },
  internal_error: { status: 500, error: "Internal error." },
} as const;

export type DirectoryErrorCode = keyof typeof DIRECTORY_ERRORS;

export function directoryErrorResponse(code: DirectoryErrorCode, error: string = DIRECTORY_ERRORS[code].error): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  if (code === "missing_api_key") headers["WWW-Authenticate"] = REALM;
  else if (code === "unknown_api_key" || code === "revoked_api_key") headers["WWW-Authenticate"] = `${REALM}, error="invalid_token"`;
  return new Response(JSON.stringify({ error, code }), { status: DIRECTORY_ERRORS[code].status, headers });
}

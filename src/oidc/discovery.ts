/**
 * Fetching an issuer's discovery document (OpenID Connect Discovery 1.0 §4) and keeping it fresh. The document is
 * fetched when the connection is saved (so a wrong issuer is refused then, not at the first sign-in) and again
 * once it is older than DISCOVERY_MAX_AGE_MS; a failed refetch keeps the copy we have.
 */
import type { JsonValue } from "../lib/json";
import { validateDiscovery, validateOidcInput, type OidcConnectionSettings, type OidcDiscovery, type OidcFieldErrors } from "./connection";

export const DISCOVERY_MAX_AGE_MS = 60 * 60 * 1000;
/** An IdP that does not answer within this must not hold a sign-in (or the console) open. */
export const OIDC_FETCH_TIMEOUT_MS = 5_000;
/** Discovery documents are a few KB; anything this large is not one (a resource-exhaustion guard). */
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** GETs a JSON document with a timeout and a size cap; the answer is unchecked JSON. */
export async function fetchJsonDocument(url: string): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  let response: Response;
  // A redirect is never followed (it is answered as a failure): it could point anywhere, even at an internal host.
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(OIDC_FETCH_TIMEOUT_MS) });
  } catch {
    return { ok: false, error: `${url} did not answer.` };
  }
  if (!response.ok) return { ok: false, error: `${url} answered ${response.status}.` };
  const text = await response.text();
  if (text.length > MAX_DOCUMENT_BYTES) return { ok: false, error: `${url} answered with a document too large to be one.` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: `${url} did not answer with JSON.` };
  }
}

export async function fetchDiscovery(issuer: string, now: number): Promise<{ ok: true; discovery: OidcDiscovery } | { ok: false; error: string }> {
  const fetched = await fetchJsonDocument(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!fetched.ok) return fetched;
  return validateDiscovery(fetched.value, issuer, now);
}

export type OidcConnectionCheck =
  | { ok: true; settings: OidcConnectionSettings }
  | { ok: false; reason: "invalid_fields"; errors: OidcFieldErrors }
  | { ok: false; reason: "discovery_failed"; error: string };

/**
 * The one check every save goes through (operator API and console): the fields first, then discovery must answer
 * and name the same issuer. Nothing is fetched when a field is wrong.
 */
export async function validateOidcConnection(input: JsonValue, now: number): Promise<OidcConnectionCheck> {
  const checked = validateOidcInput(input);
  if (!checked.ok) return { ok: false, reason: "invalid_fields", errors: checked.errors };
  const discovery = await fetchDiscovery(checked.settings.issuer, now);
  if (!discovery.ok) return { ok: false, reason: "discovery_failed", error: discovery.error };
  return { ok: true, settings: { ...checked.settings, discovery: discovery.discovery } };
}

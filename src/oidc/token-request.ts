/**
 * The authorization-code exchange at the token endpoint (OIDC Core §3.1.3.1, RFC 6749 §4.1.3), with the PKCE
 * verifier always (RFC 7636 §4.5) and, for a confidential client, client_secret_basic (RFC 6749 §2.3.1: id and
 * secret form-urlencoded before base64). Returns the ID token, still unverified.
 */
import { OIDC_FETCH_TIMEOUT_MS } from "./discovery";
import type { OidcConnectionSettings } from "./connection";

/** Token responses are small; an endpoint answering more than this is not one (a resource-exhaustion guard). */
const MAX_TOKEN_RESPONSE_CHARS = 64 * 1024;

export type TokenRequestResult = { ok: true; unverifiedIdToken: string } | { ok: false; reason: "token_request_failed" | "id_token_missing"; detail: Record<string, string | number | null> };

export async function exchangeCode(settings: OidcConnectionSettings, input: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenRequestResult> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  if (settings.clientSecret) {
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
    headers.Authorization = `Basic ${btoa(`${encode(settings.clientId)}:${encode(settings.clientSecret)}`)}`;
  } else {
    form.set("client_id", settings.clientId);
  }
  let response: Response;
  // A redirect is never followed (it is answered as a failure): it could point anywhere, even at an internal host.
  try {
    response = await fetch(settings.discovery.tokenEndpoint, { method: "POST", headers, body: form, redirect: "manual", signal: AbortSignal.timeout(OIDC_FETCH_TIMEOUT_MS) });
  } catch {
    return { ok: false, reason: "token_request_failed", detail: { status: null } };
  }
  const text = await response.text();
  let body: unknown = null;
  if (text.length <= MAX_TOKEN_RESPONSE_CHARS) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (!response.ok) {
    // RFC 6749 §5.2: `error` is a short ASCII code, safe to record; the description may be long, so it is cut.
    const error = typeof fields.error === "string" ? fields.error.slice(0, 64) : null;
    const description = typeof fields.error_description === "string" ? fields.error_description.slice(0, 200) : null;
    return { ok: false, reason: "token_request_failed", detail: { status: response.status, error, description } };
  }
  if (typeof fields.id_token !== "string" || fields.id_token === "") return { ok: false, reason: "id_token_missing", detail: { status: response.status } };
  return { ok: true, unverifiedIdToken: fields.id_token };
}

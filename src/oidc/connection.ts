/**
 * A tenant's OIDC connection settings (issue 6 §1): validated once, when saved, field by field, like the SAML ones
 * (src/saml/connection.ts). Pure: the caller fetches the discovery document and hands it in.
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS } from "../saml/connection";

export const DEFAULT_SCOPES = ["openid", "email", "profile", "groups"];
export const DEFAULT_GROUPS_CLAIM = "groups";
const MAX_FIELD_LENGTH = 2048;
/** Claim names and scope tokens (RFC 6749 §3.3: printable ASCII without space, quote or backslash). */
const TOKEN_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

/** What discovery (OpenID Connect Discovery 1.0 §3) told us, and when: refetched after DISCOVERY_MAX_AGE_MS. */
export interface OidcDiscovery {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  fetchedAt: number;
}

export interface OidcConnectionSettings {
  issuer: string;
  clientId: string;
  /** Present for a confidential client (client_secret_basic); absent for a public one, which relies on PKCE alone. */
  clientSecret: string | null;
  scopes: string[];
  groupsClaim: string;
  /** "scim": memberships come from SCIM only, the claim is ignored at sign-in. */
  groupsSource: "claim" | "scim";
  clockSkewSeconds: number;
  jitProvisioning: boolean;
  discovery: OidcDiscovery;
}

export type OidcInput = Omit<OidcConnectionSettings, "discovery">;
export type OidcFieldErrors = Partial<Record<"issuer" | "clientId" | "clientSecret" | "scopes" | "groupsClaim" | "options" | "discovery", string>>;

/**
 * https only, except a loopback host (a local test provider). The issuer, the endpoints and the JWKS URL all go
 * through this: an http endpoint would let anyone on the path swap the keys or read the code (OIDC Core §3.1.2.1).
 */
export function checkEndpointUrl(value: unknown): URL | null {
  if (typeof value !== "string" || value.length > MAX_FIELD_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return null;
  if (url.username || url.password || url.hash) return null;
  return url;
}

function checkScopes(value: JsonValue | undefined): string[] | { error: string } {
  if (value === undefined) return DEFAULT_SCOPES;
  const list = typeof value === "string" ? value.split(/\s+/).filter(Boolean) : value;
  if (!Array.isArray(list) || !list.every((scope): scope is string => typeof scope === "string" && TOKEN_PATTERN.test(scope))) {
    return { error: "scopes is a list of scope names (or one space-separated string)." };
  }
  if (!list.includes("openid")) return { error: 'scopes must include "openid".' };
  return [...new Set(list)];
}

/** Validates the fields an operator or admin gives; discovery is checked separately (validateDiscovery). */
export function validateOidcInput(input: JsonValue): { ok: true; settings: OidcInput } | { ok: false; errors: OidcFieldErrors } {
  if (!isPlainObject(input)) return { ok: false, errors: { options: "The settings must be a JSON object." } };
  const errors: OidcFieldErrors = {};
  const issuerUrl = checkEndpointUrl(typeof input.issuer === "string" ? input.issuer.trim() : input.issuer);
  if (!issuerUrl || issuerUrl.search) errors.issuer = "The issuer is an https:// URL (the Okta domain, e.g. https://acme.okta.com).";
  const clientId = typeof input.clientId === "string" ? input.clientId.trim() : "";
  if (clientId === "" || clientId.length > 256) errors.clientId = "Paste the client ID of the OIDC app.";
  const secret = input.clientSecret ?? null;
  if (secret !== null && (typeof secret !== "string" || secret === "" || secret.length > 512)) errors.clientSecret = "The client secret is text (leave it out for a public app).";
  const scopes = checkScopes(input.scopes);
  if (!Array.isArray(scopes)) errors.scopes = scopes.error;
  const groupsClaim = input.groupsClaim ?? DEFAULT_GROUPS_CLAIM;
  if (typeof groupsClaim !== "string" || !TOKEN_PATTERN.test(groupsClaim)) errors.groupsClaim = "The groups claim is a claim name, e.g. groups.";
  const groupsSource = input.groupsSource ?? "claim";
  const clockSkewSeconds = input.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const jitProvisioning = input.jitProvisioning ?? false;
  if (groupsSource !== "claim" && groupsSource !== "scim") errors.options = 'groupsSource is "claim" or "scim".';
  else if (typeof clockSkewSeconds !== "number" || !Number.isInteger(clockSkewSeconds) || clockSkewSeconds < 0 || clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS) {
    errors.options = `clockSkewSeconds is a whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`;
  } else if (typeof jitProvisioning !== "boolean") errors.options = "jitProvisioning is true or false.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      // Kept as typed (no trailing-slash normalisation): `iss` must match it exactly (OIDC Core §3.1.3.7 step 2).
      issuer: (input.issuer as string).trim(),
      clientId,
      clientSecret: secret as string | null,
      scopes: scopes as string[],
      groupsClaim: groupsClaim as string,
      groupsSource: groupsSource as "claim" | "scim",
      clockSkewSeconds: clockSkewSeconds as number,
      jitProvisioning: jitProvisioning as boolean,
    },
  };
}

/**
 * Checks a discovery document: its `issuer` must be exactly the configured one (Discovery §4.3 — stops a
 * document on one host from pointing sign-in at another issuer's keys), and each endpoint an https URL.
 */
export function validateDiscovery(document: unknown, issuer: string, now: number): { ok: true; discovery: OidcDiscovery } | { ok: false; error: string } {
  if (!isPlainObject(document as JsonValue)) return { ok: false, error: "The discovery document is not a JSON object." };
  const doc = document as JsonObject;
  if (doc.issuer !== issuer) return { ok: false, error: `The discovery document names the issuer ${JSON.stringify(doc.issuer ?? null)}, not ${issuer}.` };
  const endpoints = { authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint, jwksUri: doc.jwks_uri };
  for (const [name, value] of Object.entries(endpoints)) {
    if (!checkEndpointUrl(value)) return { ok: false, error: `The discovery document's ${name} is missing or not an https URL.` };
  }
  return { ok: true, discovery: { issuer, authorizationEndpoint: endpoints.authorizationEndpoint as string, tokenEndpoint: endpoints.tokenEndpoint as string, jwksUri: endpoints.jwksUri as string, fetchedAt: now } };
}

/** What the operator API and console show: the client secret never leaves, only whether there is one. */
export function describeOidcSettings(settings: OidcConnectionSettings): JsonObject {
  return {
    protocol: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientType: settings.clientSecret ? "confidential" : "public",
    scopes: settings.scopes,
    groupsClaim: settings.groupsClaim,
    groupsSource: settings.groupsSource,
    clockSkewSeconds: settings.clockSkewSeconds,
    jitProvisioning: settings.jitProvisioning,
    authorizationEndpoint: settings.discovery.authorizationEndpoint,
    tokenEndpoint: settings.discovery.tokenEndpoint,
    jwksUri: settings.discovery.jwksUri,
  };
}

/**
 * A tenant's SAML connection settings: validated once, when saved, field by field (the console shows each message
 * beside its field), from either the three pasted values or the IdP's metadata. Pure: input and `now` in.
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { parseCertificate, type CertificateInfo } from "./certs";
import { parseIdpMetadata } from "./metadata";

/** One, or two while the IdP rolls its signing key (both are accepted until the old one is removed). */
export const MAX_CERTIFICATES = 2;
export const DEFAULT_CLOCK_SKEW_SECONDS = 180;
export const MAX_CLOCK_SKEW_SECONDS = 900;
const MAX_FIELD_LENGTH = 2048;

export interface SamlConnectionSettings {
  ssoUrl: string;
  issuer: string;
  certificates: CertificateInfo[];
  /** Accept responses without InResponseTo (the user clicked the app tile in Okta). */
  allowIdpInitiated: boolean;
  /** SHA-1 signatures and digests are refused unless the tenant turns this on for a legacy IdP. */
  allowSha1: boolean;
  clockSkewSeconds: number;
  /** Create unknown users at sign-in instead of requiring them to be provisioned by SCIM first. */
  jitProvisioning: boolean;
}

export type FieldErrors = Partial<Record<"ssoUrl" | "issuer" | "certificates" | "metadataXml" | "options", string>>;

export type SamlSettingsResult = { ok: true; settings: SamlConnectionSettings } | { ok: false; errors: FieldErrors };

function checkSsoUrl(value: JsonValue | undefined): string | { error: string } {
  if (typeof value !== "string" || value.trim() === "") return { error: "Paste the IdP's single sign-on URL." };
  if (value.length > MAX_FIELD_LENGTH) return { error: "The SSO URL is too long." };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { error: "The SSO URL is not a URL." };
  }
  const loopback = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  // Users' browsers carry the AuthnRequest there: it must be https (plain http only to a local test IdP).
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) return { error: "The SSO URL must start with https://." };
  if (url.username || url.password) return { error: "The SSO URL must not contain credentials." };
  return url.href;
}

function checkIssuer(value: JsonValue | undefined): string | { error: string } {
  if (typeof value !== "string" || value.trim() === "") return { error: "Paste the IdP issuer (Okta: “Identity Provider Issuer”)." };
  if (value.length > MAX_FIELD_LENGTH) return { error: "The issuer is too long." };
  return value.trim();
}

async function checkCertificates(values: string[], now: number): Promise<CertificateInfo[] | { error: string }> {
  if (values.length === 0) return { error: "Paste the IdP's X.509 signing certificate." };
  if (values.length > MAX_CERTIFICATES) return { error: `At most ${MAX_CERTIFICATES} certificates (the current one and its successor).` };
  const parsed: CertificateInfo[] = [];
  for (const [index, value] of values.entries()) {
    const result = await parseCertificate(value, now);
    if (!result.ok) return { error: values.length > 1 ? `Certificate ${index + 1}: ${result.message}` : result.message };
    if (parsed.some((existing) => existing.fingerprintSha256 === result.certificate.fingerprintSha256)) continue;
    parsed.push(result.certificate);
  }
  return parsed;
}

function readOptions(input: JsonObject): Omit<SamlConnectionSettings, "ssoUrl" | "issuer" | "certificates"> | { error: string } {
  const flag = (name: string, fallback: boolean) => (input[name] === undefined ? fallback : input[name]);
  const allowIdpInitiated = flag("allowIdpInitiated", true);
  const allowSha1 = flag("allowSha1", false);
  const jitProvisioning = flag("jitProvisioning", false);
  const clockSkewSeconds = input.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (typeof allowIdpInitiated !== "boolean" || typeof allowSha1 !== "boolean" || typeof jitProvisioning !== "boolean") {
    return { error: "allowIdpInitiated, allowSha1 and jitProvisioning are true or false." };
  }
  if (typeof clockSkewSeconds !== "number" || !Number.isInteger(clockSkewSeconds) || clockSkewSeconds < 0 || clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS) {
    return { error: `clockSkewSeconds is a whole number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.` };
  }
  return { allowIdpInitiated, allowSha1, jitProvisioning, clockSkewSeconds };
}

/**
 * Validates `{ssoUrl, issuer, certificates: [pem…]}` or `{metadataXml}` (plus options). Every field is checked, so
 * all problems are reported at once.
 */
export async function validateSamlSettings(input: JsonValue, now: number): Promise<SamlSettingsResult> {
  if (!isPlainObject(input)) return { ok: false, errors: { options: "The settings must be a JSON object." } };
  const errors: FieldErrors = {};
  let ssoUrl: JsonValue | undefined = input.ssoUrl;
  let issuer: JsonValue | undefined = input.issuer;
  let certificates: JsonValue | undefined = input.certificates;
  if (input.metadataXml !== undefined) {
    if (ssoUrl !== undefined || issuer !== undefined || certificates !== undefined) {
      return { ok: false, errors: { metadataXml: "Give either the metadata or the three values, not both." } };
    }
    if (typeof input.metadataXml !== "string") return { ok: false, errors: { metadataXml: "The metadata must be XML text." } };
    const metadata = parseIdpMetadata(input.metadataXml);
    if (!metadata.ok) return { ok: false, errors: { metadataXml: metadata.message } };
    ({ ssoUrl, entityId: issuer, certificates } = metadata.metadata);
  }
  const checkedUrl = checkSsoUrl(ssoUrl);
  if (typeof checkedUrl !== "string") errors.ssoUrl = checkedUrl.error;
  const checkedIssuer = checkIssuer(issuer);
  if (typeof checkedIssuer !== "string") errors.issuer = checkedIssuer.error;
  const certificateList = typeof certificates === "string" ? [certificates] : certificates;
  let checkedCertificates: CertificateInfo[] | { error: string };
  if (!Array.isArray(certificateList) || !certificateList.every((c): c is string => typeof c === "string")) {
    checkedCertificates = { error: "certificates is a list of PEM or base64 certificates." };
  } else {
    checkedCertificates = await checkCertificates(certificateList, now);
  }
  if (!Array.isArray(checkedCertificates)) errors[input.metadataXml !== undefined ? "metadataXml" : "certificates"] = checkedCertificates.error;
  const options = readOptions(input);
  if ("error" in options) errors.options = options.error;
  if (Object.keys(errors).length > 0 || typeof checkedUrl !== "string" || typeof checkedIssuer !== "string" || !Array.isArray(checkedCertificates) || "error" in options) {
    return { ok: false, errors };
  }
  return { ok: true, settings: { ssoUrl: checkedUrl, issuer: checkedIssuer, certificates: checkedCertificates, ...options } };
}

/** What the operator API and console show: never more than public certificate facts. */
export function describeSettings(settings: SamlConnectionSettings): JsonObject {
  return {
    ssoUrl: settings.ssoUrl,
    issuer: settings.issuer,
    certificates: settings.certificates.map(({ base64: _der, ...facts }) => ({ ...facts })),
    allowIdpInitiated: settings.allowIdpInitiated,
    allowSha1: settings.allowSha1,
    clockSkewSeconds: settings.clockSkewSeconds,
    jitProvisioning: settings.jitProvisioning,
  };
}

/**
 * SAML 2.0 Response validation for the Web Browser SSO profile (SAML core §2–3, profiles §4.1.4). Pure: the XML
 * text, the tenant's certificates and the expectations (audience, ACS URL, issuer, `now`) in; the verified
 * assertion, or the first rule it breaks, out. Single-use checks (assertion ID, InResponseTo) are the caller's:
 * they need the tenant's Durable Object. The structure and signature steps (the signature-wrapping defences) are
 * in response-signatures.ts; the rules below read only what those steps verified.
 */
import type { CertificateInfo } from "./certs";
import { samlFailure, type SamlFailure } from "./errors";
import { NS } from "./namespaces";
import { checkStructure, verifySignatures } from "./response-signatures";
import { parseXml, type XmlElement } from "./xml/parse";
import { attribute, childElements, onlyChild, textContent } from "./xml/tree";

export const STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

export interface ResponseExpectations {
  /** The IdP issuer configured for the tenant; undefined skips the check (offline `saml verify` only). */
  issuer?: string;
  /** The SP entity ID (= tenant origin). */
  audience?: string;
  acsUrl?: string;
  now: number;
  clockSkewSeconds: number;
  allowIdpInitiated: boolean;
}

export interface VerifiedAssertion {
  assertionId: string;
  issuer: string;
  issueInstant: string;
  nameId: string;
  nameIdFormat: string | null;
  /** The AuthnRequest this answers; null for IdP-initiated sign-in. */
  inResponseTo: string | null;
  /** Until when the assertion could be replayed (its ID must be remembered until then, plus skew). */
  replayableUntil: number;
  sessionNotOnOrAfter: number | null;
  attributes: Record<string, string[]>;
  signedBy: string;
  signed: ("response" | "assertion")[];
}

export type ResponseResult = { ok: true; assertion: VerifiedAssertion } | { ok: false; failure: SamlFailure };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function instant(value: string | undefined): number | null {
  if (value === undefined || !DATE_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function checkResponseFields(response: XmlElement, expectations: ResponseExpectations): { ok: false; failure: SamlFailure } | null {
  if (attribute(response, "Version") !== "2.0") return samlFailure("not_a_response", { version: attribute(response, "Version") ?? null });
  const status = onlyChild(response, NS.protocol, "Status");
  const code = status && onlyChild(status, NS.protocol, "StatusCode");
  const value = code && attribute(code, "Value");
  if (value !== STATUS_SUCCESS) {
    const sub = code && childElements(code, NS.protocol, "StatusCode")[0];
    const message = status && childElements(status, NS.protocol, "StatusMessage")[0];
    return samlFailure("status_not_success", { status: value ?? null, subStatus: (sub && attribute(sub, "Value")) ?? null, message: message ? textContent(message) : null });
  }
  const destination = attribute(response, "Destination");
  if (destination !== undefined && expectations.acsUrl !== undefined && destination !== expectations.acsUrl) {
    return samlFailure("destination_mismatch", { expected: expectations.acsUrl, got: destination });
  }
  const issuer = childElements(response, NS.assertion, "Issuer")[0];
  if (issuer && expectations.issuer !== undefined && textContent(issuer).trim() !== expectations.issuer) {
    return samlFailure("issuer_mismatch", { expected: expectations.issuer, got: textContent(issuer).trim() });
  }
  return null;
}

function timeDetail(expectations: ResponseExpectations, extra: Record<string, string>) {
  return { edgeTime: iso(expectations.now), clockSkewSeconds: expectations.clockSkewSeconds, ...extra };
}

interface Confirmation {
  inResponseTo: string | null;
  notOnOrAfter: number;
}

/** Profiles §4.1.4.2: a bearer SubjectConfirmation whose data names our ACS URL and has not expired. */
function checkConfirmation(subject: XmlElement, expectations: ResponseExpectations): Confirmation | { ok: false; failure: SamlFailure } {
  const skew = expectations.clockSkewSeconds * 1000;
  const bearers = childElements(subject, NS.assertion, "SubjectConfirmation").filter((c) => attribute(c, "Method") === BEARER);
  if (bearers.length === 0) return samlFailure("no_bearer_confirmation", {});
  let firstFailure: { ok: false; failure: SamlFailure } | undefined;
  for (const bearer of bearers) {
    const data = onlyChild(bearer, NS.assertion, "SubjectConfirmationData");
    const recipient = data && attribute(data, "Recipient");
    const notOnOrAfterText = data && attribute(data, "NotOnOrAfter");
    const notOnOrAfter = instant(notOnOrAfterText);
    const notBefore = data && attribute(data, "NotBefore");
    let failure: { ok: false; failure: SamlFailure } | undefined;
    if (!data || notOnOrAfter === null) failure = samlFailure("malformed_assertion", { problem: "bearer SubjectConfirmationData needs Recipient and NotOnOrAfter" });
    else if (expectations.acsUrl !== undefined && recipient !== expectations.acsUrl) failure = samlFailure("recipient_mismatch", { expected: expectations.acsUrl, got: recipient ?? null });
    else if (expectations.now >= notOnOrAfter + skew) failure = samlFailure("subject_confirmation_expired", timeDetail(expectations, { notOnOrAfter: notOnOrAfterText! }));
    // A bearer confirmation with NotBefore is not allowed by the profile (§4.1.4.2).
    else if (notBefore !== undefined) failure = samlFailure("malformed_assertion", { problem: "bearer SubjectConfirmationData must not have NotBefore" });
    if (!failure) return { inResponseTo: (data && attribute(data, "InResponseTo")) ?? null, notOnOrAfter: notOnOrAfter! };
    firstFailure ??= failure;
  }
  return firstFailure!;
}

function checkConditions(assertion: XmlElement, expectations: ResponseExpectations): { notOnOrAfter: number | null } | { ok: false; failure: SamlFailure } {
  const skew = expectations.clockSkewSeconds * 1000;
  const conditions = childElements(assertion, NS.assertion, "Conditions");
  if (conditions.length > 1) return samlFailure("malformed_assertion", { problem: "more than one Conditions" });
  const element = conditions[0];
  if (!element) return samlFailure("audience_mismatch", { expected: expectations.audience ?? null, got: [], problem: "no Conditions/AudienceRestriction" });
  const notBeforeText = attribute(element, "NotBefore");
  const notOnOrAfterText = attribute(element, "NotOnOrAfter");
  const notBefore = notBeforeText === undefined ? null : instant(notBeforeText);
  const notOnOrAfter = notOnOrAfterText === undefined ? null : instant(notOnOrAfterText);
  if ((notBeforeText !== undefined && notBefore === null) || (notOnOrAfterText !== undefined && notOnOrAfter === null)) {
    return samlFailure("malformed_assertion", { problem: "Conditions times are not xs:dateTime" });
  }
  if (notBefore !== null && expectations.now + skew < notBefore) return samlFailure("assertion_not_yet_valid", timeDetail(expectations, { notBefore: notBeforeText! }));
  if (notOnOrAfter !== null && expectations.now >= notOnOrAfter + skew) return samlFailure("assertion_expired", timeDetail(expectations, { notOnOrAfter: notOnOrAfterText! }));
  // Core §2.5.1.4: the relying party must be named in every AudienceRestriction.
  const restrictions = childElements(element, NS.assertion, "AudienceRestriction");
  const audiences = restrictions.flatMap((r) => childElements(r, NS.assertion, "Audience").map((a) => textContent(a).trim()));
  if (restrictions.length === 0) return samlFailure("audience_mismatch", { expected: expectations.audience ?? null, got: [], problem: "no AudienceRestriction" });
  if (expectations.audience !== undefined) {
    const missing = restrictions.some((r) => !childElements(r, NS.assertion, "Audience").some((a) => textContent(a).trim() === expectations.audience));
    if (missing) return samlFailure("audience_mismatch", { expected: expectations.audience, got: audiences });
  }
  return { notOnOrAfter };
}

function readAttributes(assertion: XmlElement): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const statement of childElements(assertion, NS.assertion, "AttributeStatement")) {
    for (const element of childElements(statement, NS.assertion, "Attribute")) {
      const name = attribute(element, "Name");
      if (!name) continue;
      const values = childElements(element, NS.assertion, "AttributeValue").map((v) => textContent(v).trim()).filter((v) => v !== "");
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return attributes;
}

export async function verifySamlResponse(
  xml: string,
  keys: { certificates: readonly CertificateInfo[]; allowSha1: boolean },
  expectations: ResponseExpectations,
): Promise<ResponseResult> {
  const parsed = parseXml(xml);
  if (!parsed.ok) return samlFailure(parsed.reason, { problem: parsed.detail });
  const root = parsed.root;
  if (root.namespaceUri !== NS.protocol || root.localName !== "Response") return samlFailure("not_a_response", { root: `${root.namespaceUri} ${root.localName}` });
  const structure = checkStructure(root);
  if ("ok" in structure) return structure;
  const verified = await verifySignatures(root, structure.assertion, keys.certificates, keys.allowSha1);
  if ("ok" in verified) return verified;
  const responseProblem = checkResponseFields(verified.response, expectations);
  if (responseProblem) return responseProblem;

  const assertion = verified.assertion;
  const assertionId = attribute(assertion, "ID");
  const issueInstant = attribute(assertion, "IssueInstant");
  if (!assertionId || attribute(assertion, "Version") !== "2.0" || instant(issueInstant) === null) {
    return samlFailure("malformed_assertion", { problem: "an Assertion needs ID, Version 2.0 and IssueInstant" });
  }
  const issuerElement = onlyChild(assertion, NS.assertion, "Issuer");
  const issuer = issuerElement ? textContent(issuerElement).trim() : "";
  if (!issuerElement || (expectations.issuer !== undefined && issuer !== expectations.issuer)) {
    return samlFailure("issuer_mismatch", { expected: expectations.issuer ?? null, got: issuer || null });
  }
  const subject = onlyChild(assertion, NS.assertion, "Subject");
  const nameIdElement = subject && onlyChild(subject, NS.assertion, "NameID");
  const nameId = nameIdElement ? textContent(nameIdElement).trim() : "";
  if (!subject || !nameIdElement || nameId === "") return samlFailure("name_id_missing", {});
  const confirmation = checkConfirmation(subject, expectations);
  if ("ok" in confirmation) return confirmation;
  const conditions = checkConditions(assertion, expectations);
  if ("ok" in conditions) return conditions;

  // Only the signed bearer confirmation says which request this answers (profiles §4.1.4.2 requires it there for
  // SP-initiated sign-in). A Response-level InResponseTo it does not repeat may be unsigned: trusting it would let
  // anyone turn an IdP-initiated assertion into an "answer" to their own AuthnRequest.
  const responseInResponseTo = attribute(verified.response, "InResponseTo") ?? null;
  if (responseInResponseTo !== null && responseInResponseTo !== confirmation.inResponseTo) {
    return samlFailure("in_response_to_unknown", { response: responseInResponseTo, subjectConfirmation: confirmation.inResponseTo });
  }
  const inResponseTo = confirmation.inResponseTo;
  if (inResponseTo === null && !expectations.allowIdpInitiated) return samlFailure("idp_initiated_disabled", {});

  const authn = childElements(assertion, NS.assertion, "AuthnStatement")[0];
  const sessionNotOnOrAfter = authn ? instant(attribute(authn, "SessionNotOnOrAfter")) : null;
  const skew = expectations.clockSkewSeconds * 1000;
  return {
    ok: true,
    assertion: {
      assertionId,
      issuer,
      issueInstant: issueInstant!,
      nameId,
      nameIdFormat: attribute(nameIdElement, "Format") ?? null,
      inResponseTo,
      replayableUntil: Math.min(confirmation.notOnOrAfter, conditions.notOnOrAfter ?? Number.POSITIVE_INFINITY) + skew,
      sessionNotOnOrAfter,
      attributes: readAttributes(assertion),
      signedBy: verified.signedBy,
      signed: verified.signed,
    },
  };
}

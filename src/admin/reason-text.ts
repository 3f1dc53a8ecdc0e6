/**
 * Every SAML failure reason (src/saml/errors.ts) in plain words for the tenant admin, with what to change. The end
 * user only ever sees the generic `publicMessage`; these sentences are for the console, behind admin sign-in, so
 * they may say exactly which rule failed. A `Record` over the union: a new reason code does not compile until it
 * has its sentence here.
 */
import type { SamlReason } from "../saml/errors";

export const REASON_TEXT: Record<SamlReason, string> = {
  no_saml_connection: "Single sign-on is not set up: save the IdP's SSO URL, issuer and certificate first.",
  missing_saml_response: "The sign-in request carried no SAMLResponse field. Okta must POST to the Single sign-on URL (HTTP-POST binding).",
  response_too_large: "The SAML response was larger than Gatehouse accepts; check the IdP is not sending huge attribute statements.",
  response_not_base64: "The SAMLResponse field was not valid base64, so it was not a SAML response at all.",
  response_not_utf8: "The decoded SAML response was not valid UTF-8 text.",
  xml_malformed: "The SAML response was not well-formed XML.",
  xml_doctype_forbidden: "The SAML response contained a DOCTYPE, which is refused (XML entity expansion and XXE attacks).",
  xml_processing_instruction: "The SAML response contained an XML processing instruction, which a real IdP never sends.",
  xml_undeclared_entity: "The SAML response used an XML entity that is not one of the five predefined ones.",
  xml_unbound_prefix: "The SAML response used a namespace prefix it never declared.",
  xml_too_deep: "The SAML response was nested too deeply to be a real response (a resource-exhaustion guard).",
  xml_no_root: "The SAML response had no root element.",
  not_a_response: "The document was not a SAML 2.0 Response (wrong root element or version).",
  encrypted_assertion_unsupported: "The assertion was encrypted. Turn off assertion encryption in the Okta app's SAML settings.",
  assertion_count: "The response must carry exactly one assertion; it had none or several (a signature-wrapping guard).",
  duplicate_id: "Two elements in the response share one ID, so a signature could point at the wrong one (signature wrapping).",
  signature_missing: "Neither the response nor the assertion was signed. In Okta, sign the assertion (or the response).",
  signature_misplaced: "A signature was found in a place it does not belong (a signature-wrapping guard).",
  signature_malformed: "The XML signature was incomplete or malformed.",
  reference_mismatch: "The signature does not cover the element it sits in (a signature-wrapping guard).",
  transforms_unsupported: "The signature used a transform other than enveloped-signature and exclusive canonicalisation.",
  unsupported_algorithm: "The signature used an algorithm Gatehouse does not accept. Use RSA-SHA256 (or ECDSA-SHA256) with a SHA-256 digest.",
  sha1_not_allowed: "The signature used SHA-1, which is refused (collisions). In Okta, set the signature and digest algorithms to SHA-256.",
  digest_mismatch: "The signed content was changed after the IdP signed it (its digest does not match).",
  signature_invalid: "The signature does not verify with any certificate saved here. The IdP may have a new certificate: add it in Set up.",
  malformed_assertion: "The assertion is missing a required part or has one in the wrong form (see the detail).",
  status_not_success: "The IdP answered with an error status instead of a sign-in (see the status in the detail).",
  issuer_mismatch: "The response came from a different issuer than the one saved here. Compare the Issuer in Okta with Set up.",
  destination_mismatch: "The response was addressed to another URL. Okta's Single sign-on URL must be exactly this tenant's /okta/auth.",
  no_bearer_confirmation: "The assertion has no bearer subject confirmation, so it cannot be used to sign in through a browser.",
  recipient_mismatch: "The assertion names another recipient URL. Okta's Recipient URL must be exactly this tenant's /okta/auth.",
  subject_confirmation_expired: "The assertion's sign-in window had passed when it arrived: the sign-in took too long or the clocks disagree.",
  assertion_not_yet_valid: "The assertion is not valid yet: the IdP's clock is ahead of the edge's by more than the allowed skew.",
  assertion_expired: "The assertion had expired when it arrived: the sign-in took too long or the IdP's clock is behind.",
  audience_mismatch: "The assertion is for another audience. Okta's Audience URI must be exactly this tenant's origin, with https://.",
  name_id_missing: "The assertion did not name the user (no NameID). Set Name ID format and Application username in Okta.",
  idp_initiated_disabled: "A sign-in started from the IdP (the app tile) arrived, but IdP-initiated sign-in is turned off here.",
  in_response_to_unknown: "The response answers a sign-in request Gatehouse never made (or one from another tenant).",
  in_response_to_expired: "The response answers a sign-in request that had expired (requests are valid for 10 minutes).",
  in_response_to_reused: "The response answers a sign-in request that was already answered once (a replay guard).",
  assertion_replayed: "This exact assertion was already used to sign in once: it was replayed.",
  unknown_user: "The IdP named a user this tenant does not have. Assign the user to the app in Okta so SCIM creates them, or turn on just-in-time creation.",
  user_deactivated: "The user exists but is deactivated. Reactivate them in Okta (assign the app again).",
};

/** The sentence for a recorded reason code; codes written by a later version still show, as themselves. */
export function reasonText(reason: string): string {
  return Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason as SamlReason] : `Unrecognised reason code "${reason}".`;
}

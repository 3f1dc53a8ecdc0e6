/**
 * Why a SAML sign-in failed: one stable snake_case code per rule, with the precise detail for the tenant admin.
 * The end user sees only the code and a generic sentence (`publicMessage`); the detail (expected vs received,
 * clocks, fingerprints) is recorded for the console, never put on the failure page.
 */
import type { XmlParseReason } from "./xml/element";

export type SamlReason =
  // Transport and parsing (the XML reasons are the parser's own: src/saml/xml/element.ts)
  | "no_saml_connection"
  | "missing_saml_response"
  | "response_too_large"
  | "response_not_base64"
  | "response_not_utf8"
  | XmlParseReason
  // Structure (signature wrapping defences)
  | "not_a_response"
  | "encrypted_assertion_unsupported"
  | "assertion_count"
  | "duplicate_id"
  | "signature_missing"
  | "signature_misplaced"
  | "signature_malformed"
  | "reference_mismatch"
  | "transforms_unsupported"
  | "unsupported_algorithm"
  | "sha1_not_allowed"
  | "digest_mismatch"
  | "signature_invalid"
  // Response rules (SAML core §3.2.2, §2.5; profiles §4.1.4)
  | "malformed_assertion"
  | "status_not_success"
  | "issuer_mismatch"
  | "destination_mismatch"
  | "no_bearer_confirmation"
  | "recipient_mismatch"
  | "subject_confirmation_expired"
  | "assertion_not_yet_valid"
  | "assertion_expired"
  | "audience_mismatch"
  | "name_id_missing"
  | "idp_initiated_disabled"
  | "in_response_to_unknown"
  | "in_response_to_expired"
  | "in_response_to_reused"
  | "assertion_replayed"
  // The user
  | "unknown_user"
  | "user_deactivated";

export interface SamlFailure {
  reason: SamlReason;
  /** For the tenant admin: what was expected, what arrived, clocks, fingerprints. */
  detail: Record<string, string | number | boolean | null | string[]>;
}

export function samlFailure(reason: SamlReason, detail: SamlFailure["detail"] = {}): { ok: false; failure: SamlFailure } {
  return { ok: false, failure: { reason, detail } };
}

/** What the end user reads: generic on purpose (no oracle for an attacker), plus who can fix it. */
export function publicMessage(reason: SamlReason): string {
  switch (reason) {
    case "no_saml_connection":
      return "Single sign-on is not set up for this organisation yet.";
    case "unknown_user":
    case "user_deactivated":
      return "Your account is not active in this application. Ask your administrator to assign you the app in your identity provider.";
    case "assertion_expired":
    case "subject_confirmation_expired":
    case "assertion_not_yet_valid":
    case "in_response_to_expired":
      return "The sign-in took too long or the clocks disagree. Please start the sign-in again.";
    case "assertion_replayed":
    case "in_response_to_reused":
      return "This sign-in was already used. Please start the sign-in again.";
    default:
      return "The identity provider's answer could not be accepted. Your administrator can see why in the Gatehouse console.";
  }
}

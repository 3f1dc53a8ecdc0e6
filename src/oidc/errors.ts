/**
 * Why an OIDC sign-in failed: one stable snake_case code per rule (issue 6 §1), recorded with its detail for the
 * tenant admin (src/admin/reason-text.ts says each in plain words). The end user sees the code and a generic
 * sentence only — no oracle telling an attacker which check their forged token tripped.
 */
export type OidcReason =
  | "no_oidc_connection"
  | "login_issuer_mismatch"
  | "idp_error"
  | "callback_malformed"
  | "callback_issuer_mismatch"
  | "state_unknown"
  | "state_reused"
  | "state_expired"
  | "token_request_failed"
  | "id_token_missing"
  | "id_token_malformed"
  | "id_token_algorithm_not_allowed"
  | "id_token_unknown_key"
  | "id_token_signature_invalid"
  | "id_token_issuer_mismatch"
  | "id_token_audience_mismatch"
  | "id_token_azp_mismatch"
  | "id_token_nonce_mismatch"
  | "id_token_expired"
  | "id_token_not_yet_valid"
  | "email_missing"
  | "email_unverified"
  | "unknown_user"
  | "user_deactivated";

export interface OidcFailure {
  reason: OidcReason;
  detail: Record<string, string | number | boolean | null | string[]>;
}

export function oidcFailure(reason: OidcReason, detail: OidcFailure["detail"] = {}): { ok: false; failure: OidcFailure } {
  return { ok: false, failure: { reason, detail } };
}

export function oidcPublicMessage(reason: OidcReason): string {
  switch (reason) {
    case "no_oidc_connection":
      return "Single sign-on is not set up for this organisation yet.";
    case "unknown_user":
    case "user_deactivated":
      return "Your account is not active in this application. Ask your administrator to assign you the app in your identity provider.";
    case "state_expired":
    case "id_token_expired":
    case "id_token_not_yet_valid":
      return "The sign-in took too long or the clocks disagree. Please start the sign-in again.";
    case "state_reused":
      return "This sign-in was already used. Please start the sign-in again.";
    default:
      return "The identity provider's answer could not be accepted. Your administrator can see why in the Gatehouse console.";
  }
}

/** Problems of the user's account are 403; everything else about the answer is 400. */
export function oidcFailureStatus(reason: OidcReason): 400 | 403 {
  return reason === "unknown_user" || reason === "user_deactivated" || reason === "no_oidc_connection" ? 403 : 400;
}

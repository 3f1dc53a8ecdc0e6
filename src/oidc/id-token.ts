/**
 * ID token validation (OIDC Core §3.1.3.7), on top of jose: the signature with a key from the issuer's JWKS, the
 * algorithm from a short allowlist, then `iss`, `aud`, `azp`, `nonce`, `exp` and `iat` with the tenant's skew.
 * Pure apart from the key lookup, which the caller passes in; `now` is a parameter. Returns the verified claims
 * only — nothing of the token is read before its signature has been checked.
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { oidcFailure, type OidcFailure } from "./errors";

/**
 * RS256 is what Okta signs with; ES256 and EdDSA for other IdPs. No `none`, no HS* (an HMAC "signed" with the
 * client secret, or with a public key read as a secret — the algorithm-confusion attack), no RSA PKCS#1 v1.5 with
 * SHA-1-era sizes.
 */
export const ALLOWED_ID_TOKEN_ALGORITHMS = ["RS256", "ES256", "EdDSA"];

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  clockSkewSeconds: number;
  now: number;
}

export type IdTokenResult = { ok: true; claims: JWTPayload } | { ok: false; failure: OidcFailure };

/** jose's stable error codes → our reasons (anything else about the token's form is `id_token_malformed`). */
function reasonOf(error: unknown): OidcFailure["reason"] {
  if (error instanceof errors.JWTExpired) return "id_token_expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "id_token_issuer_mismatch";
    if (error.claim === "aud") return "id_token_audience_mismatch";
    if (error.claim === "nbf" || error.claim === "iat") return "id_token_not_yet_valid";
    return "id_token_malformed";
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "id_token_algorithm_not_allowed";
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return "id_token_unknown_key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "id_token_signature_invalid";
  return "id_token_malformed";
}

export async function verifyIdToken(token: string, keys: JWTVerifyGetKey, expected: IdTokenExpectations): Promise<IdTokenResult> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ALLOWED_ID_TOKEN_ALGORITHMS,
      clockTolerance: expected.clockSkewSeconds,
      currentDate: new Date(expected.now),
      requiredClaims: ["sub", "exp", "iat"],
    }));
  } catch (error) {
    const code = error instanceof errors.JOSEError ? error.code : "unexpected";
    return oidcFailure(reasonOf(error), { jose: code });
  }
  // §3.1.3.7 step 4–5: with several audiences, `azp` must be present; when present it must be us (a token minted
  // for another client of the same IdP, that merely lists us too, is not ours to accept).
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if ((audiences.length > 1 && claims.azp === undefined) || (claims.azp !== undefined && claims.azp !== expected.clientId)) {
    return oidcFailure("id_token_azp_mismatch", { azp: typeof claims.azp === "string" ? claims.azp : null, aud: audiences.filter((a): a is string => typeof a === "string") });
  }
  // §3.1.3.7 step 11: the nonce binds the token to the sign-in this browser started (stops token replay/injection).
  if (claims.nonce !== expected.nonce) return oidcFailure("id_token_nonce_mismatch");
  // §3.1.3.7 step 10: jose checks `iat` only against a max age; a token issued in the future is refused here.
  if (typeof claims.iat !== "number" || claims.iat * 1000 > expected.now + expected.clockSkewSeconds * 1000) {
    return oidcFailure("id_token_not_yet_valid", { iat: typeof claims.iat === "number" ? claims.iat : null, edgeTime: Math.floor(expected.now / 1000) });
  }
  return { ok: true, claims };
}

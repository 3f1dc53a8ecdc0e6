/** Session signing keys for local runs and tests (production keys are `wrangler secret put`). */
import { createHash, webcrypto } from "node:crypto";

/**
 * A P-256 private key as a JWK for ES256 session tokens. `kid` is the RFC 7638 thumbprint, so the same key always
 * has the same id in the JWKS. `key_ops` and `ext` from WebCrypto's export are dropped: the public half derived
 * from this JWK must verify, and a copied `key_ops: ["sign"]` would make importing it for "verify" fail.
 */
export async function generateSigningJwk(): Promise<Record<string, string>> {
  const { privateKey } = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const { kty, crv, x, y, d } = await webcrypto.subtle.exportKey("jwk", privateKey);
  if (kty !== "EC" || crv !== "P-256" || !x || !y || !d) throw new Error("WebCrypto exported an unexpected EC JWK");
  // RFC 7638 §3.2: required members only, lexicographic order, no whitespace.
  const thumbprint = createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest("base64url");
  return { kty, crv, x, y, d, alg: "ES256", use: "sig", kid: thumbprint };
}

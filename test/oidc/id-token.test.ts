/** verifyIdToken (OIDC Core §3.1.3.7): each case changes one thing from a good token. */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyIdToken } from "../../src/oidc/id-token";

const ISSUER = "https://acme.okta.com";
const NOW = Date.UTC(2026, 0, 1, 12);
const EXPECTED = { issuer: ISSUER, clientId: "client-1", nonce: "n-1", clockSkewSeconds: 60, now: NOW };
let rsa: CryptoKeyPair;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  rsa = (await generateKeyPair("RS256")) as CryptoKeyPair;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "k1", alg: "RS256" }] });
});

function token(claims: JWTPayload = {}, header: { alg?: string; kid?: string } = {}, key: CryptoKey = rsa.privateKey) {
  const iat = Math.floor(NOW / 1000);
  return new SignJWT({ iss: ISSUER, aud: "client-1", sub: "u1", nonce: "n-1", iat, exp: iat + 300, ...claims }).setProtectedHeader({ alg: "RS256", kid: "k1", ...header }).sign(key);
}

async function reasonFor(jwt: string) {
  const result = await verifyIdToken(jwt, keys, EXPECTED);
  return result.ok ? "ok" : result.failure.reason;
}

describe("verifyIdToken", () => {
  it("accepts a good token and returns its claims", async () => {
    const result = await verifyIdToken(await token(), keys, EXPECTED);
    expect(result).toMatchObject({ ok: true, claims: { sub: "u1" } });
  });

  it("refuses each broken rule with its own reason", async () => {
    const iat = Math.floor(NOW / 1000);
    expect(await reasonFor(await token({ iss: "https://evil.test" }))).toBe("id_token_issuer_mismatch");
    expect(await reasonFor(await token({ aud: "client-2" }))).toBe("id_token_audience_mismatch");
    expect(await reasonFor(await token({ aud: ["client-1", "client-2"] }))).toBe("id_token_azp_mismatch");
    expect(await reasonFor(await token({ aud: ["client-1", "client-2"], azp: "client-1" }))).toBe("ok");
    expect(await reasonFor(await token({ nonce: "n-2" }))).toBe("id_token_nonce_mismatch");
    expect(await reasonFor(await token({ nonce: undefined }))).toBe("id_token_nonce_mismatch");
    expect(await reasonFor(await token({ exp: iat - 61 }))).toBe("id_token_expired");
    expect(await reasonFor(await token({ exp: iat - 30 }))).toBe("ok");
    expect(await reasonFor(await token({ iat: iat + 120, exp: iat + 600 }))).toBe("id_token_not_yet_valid");
    expect(await reasonFor(await token({}, { kid: "other" }))).toBe("id_token_unknown_key");
    expect(await reasonFor("not.a.jwt")).toBe("id_token_malformed");
  });

  it("refuses a signature by another key under the published kid", async () => {
    const other = (await generateKeyPair("RS256")) as CryptoKeyPair;
    expect(await reasonFor(await token({}, {}, other.privateKey))).toBe("id_token_signature_invalid");
  });

  it("refuses HS256, whatever the key (algorithm confusion)", async () => {
    const secret = new TextEncoder().encode("a-shared-secret-of-enough-length!!");
    const hs = await new SignJWT({ iss: ISSUER, aud: "client-1", sub: "u1", nonce: "n-1", iat: Math.floor(NOW / 1000), exp: Math.floor(NOW / 1000) + 300 }).setProtectedHeader({ alg: "HS256", kid: "k1" }).sign(secret);
    expect(await reasonFor(hs)).toBe("id_token_algorithm_not_allowed");
  });
});

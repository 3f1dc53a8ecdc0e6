import { describe, expect, it } from "vitest";
import { loadSigningKeys } from "../../src/sessions/keys";
import { issueSessionToken, verifySessionToken, type SessionClaims } from "../../src/sessions/tokens";
import type { Env } from "../../src/env";

async function privateJwk(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, kid, alg: "ES256" };
}

const claims: SessionClaims = { tenant: "acme", tid: "tn_1", sub: "usr_1", email: "a@b.c", name: null, given_name: null, family_name: null, groups: [], roles: [], idp_roles: [], sv: 1, amr: ["saml"] };
const ORIGIN = "https://acme.theirapp.test";

describe("session signing keys and rotation", () => {
  it("publishes the current key and the previous ones; tokens of either verify until they expire", async () => {
    const old = await privateJwk("old");
    const current = await privateJwk("new");
    const before = await loadSigningKeys({ SESSION_SIGNING_KEY: JSON.stringify(old) } as Env);
    const oldToken = await issueSessionToken(claims, before, ORIGIN, Date.now(), null);

    const { d: _d, ...oldPublic } = old;
    const after = await loadSigningKeys({ SESSION_SIGNING_KEY: JSON.stringify(current), SESSION_SIGNING_KEYS_PREVIOUS: JSON.stringify([oldPublic]) } as Env);
    expect(after.published.map((key) => key.kid)).toEqual(["new", "old"]);
    expect(after.published.every((key) => !("d" in key))).toBe(true);
    expect(await verifySessionToken(oldToken.token, after, ORIGIN, Date.now())).toMatchObject({ sub: "usr_1", sv: 1 });
    const newToken = await issueSessionToken(claims, after, ORIGIN, Date.now(), null);
    expect(await verifySessionToken(newToken.token, after, ORIGIN, Date.now())).not.toBeNull();

    // Once the old key is no longer published, its tokens stop verifying.
    const later = await loadSigningKeys({ SESSION_SIGNING_KEY: JSON.stringify(current) } as Env);
    expect(await verifySessionToken(oldToken.token, later, ORIGIN, Date.now())).toBeNull();
  });

  it("refuses tokens for another origin, expired ones, and ones cut short by the IdP's SessionNotOnOrAfter", async () => {
    const keys = await loadSigningKeys({ SESSION_SIGNING_KEY: JSON.stringify(await privateJwk("k")) } as Env);
    const now = Date.now();
    const token = await issueSessionToken(claims, keys, ORIGIN, now, now + 60_000);
    expect(token.expiresAt).toBe(Math.floor((now + 60_000) / 1000) * 1000);
    expect(await verifySessionToken(token.token, keys, "https://other.theirapp.test", now)).toBeNull();
    expect(await verifySessionToken(token.token, keys, ORIGIN, now + 120_000)).toBeNull();
    expect(await verifySessionToken(`${token.token}x`, keys, ORIGIN, now)).toBeNull();
  });

  it("a missing or malformed key is a deployment error, never an unsigned session", async () => {
    await expect(loadSigningKeys({} as Env)).rejects.toThrow(/SESSION_SIGNING_KEY/);
    await expect(loadSigningKeys({ SESSION_SIGNING_KEY: '{"kty":"EC","kid":"x"}' } as Env)).rejects.toThrow();
  });
});

/**
 * Session signing keys from the environment: the current private JWK (SESSION_SIGNING_KEY) and, during a
 * rotation, earlier public JWKs (SESSION_SIGNING_KEYS_PREVIOUS) that stay published in the JWKS until the
 * sessions they signed have expired. Parsed and imported once per isolate.
 */
import { importJWK, type JWK } from "jose";
import type { Env } from "../env";
import { isPlainObject } from "../lib/json";

export type SessionAlgorithm = "ES256" | "EdDSA";

export interface SigningKeys {
  kid: string;
  alg: SessionAlgorithm;
  privateKey: CryptoKey;
  /** Every public key a valid session may be signed with, current first: the JWKS. */
  published: JWK[];
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ext: _ext, ...rest } = jwk;
  return { ...rest, use: "sig" };
}

function algorithmOf(jwk: JWK): SessionAlgorithm {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new Error("SESSION_SIGNING_KEY must be a P-256 (ES256) or Ed25519 (EdDSA) private JWK");
}

let cached: { source: string; keys: Promise<SigningKeys> } | undefined;

async function parseKeys(current: string, previous: string | undefined): Promise<SigningKeys> {
  const jwk = JSON.parse(current) as unknown;
  if (!isPlainObject(jwk) || typeof jwk.kid !== "string" || typeof jwk.d !== "string") throw new Error("SESSION_SIGNING_KEY must be a private JWK with a kid");
  const key = jwk as unknown as JWK;
  const alg = algorithmOf(key);
  const privateKey = (await importJWK({ ...key, alg }, alg)) as CryptoKey;
  const older = previous ? (JSON.parse(previous) as JWK[]) : [];
  if (!Array.isArray(older)) throw new Error("SESSION_SIGNING_KEYS_PREVIOUS must be a JSON array of public JWKs");
  return { kid: key.kid!, alg, privateKey, published: [{ ...publicPart(key), alg }, ...older.map(publicPart)] };
}

/** The keys; a missing or malformed secret is a deployment error (a logged 500), never an unsigned session. */
export function loadSigningKeys(env: Env): Promise<SigningKeys> {
  const current = env.SESSION_SIGNING_KEY;
  if (!current) return Promise.reject(new Error("SESSION_SIGNING_KEY is not set"));
  const source = `${current}\n${env.SESSION_SIGNING_KEYS_PREVIOUS ?? ""}`;
  if (!cached || cached.source !== source) cached = { source, keys: parseKeys(current, env.SESSION_SIGNING_KEYS_PREVIOUS) };
  return cached.keys;
}

/**
 * WebCrypto verification keys from the tenant's configured certificates. Imported once per certificate and
 * algorithm and kept (importing costs more than a verification). Never from a response's own KeyInfo.
 */
// Before @peculiar/x509 (see src/saml/certs.ts).
import "reflect-metadata";
import { X509Certificate } from "@peculiar/x509";
import { base64DecodeStrict } from "../../lib/bytes";
import type { SignatureAlgorithm } from "./algorithms";

const MAX_CACHED_KEYS = 256;

/** WebCrypto's key type, named the same way in workerd and in Node (the CLI runs this code too). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const cache = new Map<string, Promise<CryptoKey | null>>();

async function importKey(certificateBase64: string, algorithm: SignatureAlgorithm): Promise<CryptoKey | null> {
  const der = base64DecodeStrict(certificateBase64);
  if (!der) return null;
  const certificate = new X509Certificate(der);
  const keyAlgorithm = certificate.publicKey.algorithm as { name: string; namedCurve?: string };
  const isRsa = keyAlgorithm.name.startsWith("RSA");
  // The certificate's key type must match the signature algorithm: an RSA key never verifies an ECDSA signature.
  if ((algorithm.name === "ECDSA") === isRsa) return null;
  const params: Parameters<typeof crypto.subtle.importKey>[2] =
    algorithm.name === "ECDSA" ? { name: "ECDSA", namedCurve: keyAlgorithm.namedCurve ?? "" } : { name: algorithm.name, hash: algorithm.hash };
  try {
    return await crypto.subtle.importKey("spki", certificate.publicKey.rawData, params, false, ["verify"]);
  } catch {
    return null;
  }
}

/** The verification key for a certificate and algorithm, or null when the pair cannot verify anything. */
export function verificationKey(certificateBase64: string, algorithm: SignatureAlgorithm): Promise<CryptoKey | null> {
  const id = `${algorithm.name}/${algorithm.hash}/${certificateBase64}`;
  let key = cache.get(id);
  if (!key) {
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    key = importKey(certificateBase64, algorithm);
    cache.set(id, key);
  }
  return key;
}

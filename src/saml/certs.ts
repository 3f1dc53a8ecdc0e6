/**
 * IdP signing certificates, as a tenant admin pastes them (PEM, or the bare base64 Okta shows) or as metadata
 * carries them. Parsed with @peculiar/x509; checked for validity dates against `now` and for a key we can verify
 * with (RSA ≥ 2048 bits, or ECDSA on P-256/384/521). Pure: text and `now` in, a typed result out.
 *
 * The signature verifier later uses exactly these configured keys — never a key or certificate taken from the
 * response's own KeyInfo (that would let anyone sign their own assertion).
 */
// Before @peculiar/x509, for every entry point that reaches this module (the worker entry imports it first too).
import "reflect-metadata";
import { X509Certificate } from "@peculiar/x509";
import { base64DecodeStrict, bytesToHex } from "../lib/bytes";

export interface CertificateInfo {
  /** The DER bytes as canonical base64 (what we store and compare byte for byte). */
  base64: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyType: string;
  fingerprintSha256: string;
}

export type CertificateProblem = "not_a_certificate" | "expired" | "not_yet_valid" | "weak_key" | "unsupported_key";

export type CertificateResult = { ok: true; certificate: CertificateInfo } | { ok: false; reason: CertificateProblem; message: string };

/** Longest certificate text accepted: real ones are 1–3 KB. */
export const MAX_CERTIFICATE_CHARS = 16 * 1024;

/** Accepts one PEM block, or bare base64 DER (with or without line breaks). */
export function certificateBytes(text: string): Uint8Array | null {
  if (text.length > MAX_CERTIFICATE_CHARS) return null;
  const trimmed = text.trim();
  const pem = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----$/.exec(trimmed);
  const body = pem ? pem[1]! : trimmed;
  return base64DecodeStrict(body.replace(/\s+/g, ""));
}

function keyDescription(certificate: X509Certificate): { keyType: string; problem?: CertificateProblem } {
  const algorithm = certificate.publicKey.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  if (algorithm.name === "RSASSA-PKCS1-v1_5" || algorithm.name === "RSA-PSS" || algorithm.name === "RSA-OAEP") {
    const bits = algorithm.modulusLength ?? 0;
    return { keyType: `RSA ${bits}`, problem: bits < 2048 ? "weak_key" : undefined };
  }
  if (algorithm.name === "ECDSA" || algorithm.name === "ECDH") {
    const curve = algorithm.namedCurve ?? "unknown";
    return { keyType: `EC ${curve}`, problem: ["P-256", "P-384", "P-521"].includes(curve) ? undefined : "unsupported_key" };
  }
  return { keyType: algorithm.name, problem: "unsupported_key" };
}

export async function parseCertificate(text: string, now: number): Promise<CertificateResult> {
  const bytes = certificateBytes(text);
  if (!bytes) return { ok: false, reason: "not_a_certificate", message: "This is not a PEM or base64 X.509 certificate." };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(bytes);
  } catch {
    return { ok: false, reason: "not_a_certificate", message: "The certificate could not be parsed (expected DER-encoded X.509)." };
  }
  const key = keyDescription(certificate);
  if (key.problem === "weak_key") return { ok: false, reason: "weak_key", message: `The certificate's key (${key.keyType}) is too weak; RSA keys need at least 2048 bits.` };
  if (key.problem) return { ok: false, reason: "unsupported_key", message: `The certificate's key (${key.keyType}) is not RSA or ECDSA P-256/384/521.` };
  if (certificate.notAfter.getTime() <= now) {
    return { ok: false, reason: "expired", message: `The certificate expired on ${certificate.notAfter.toISOString()}.` };
  }
  if (certificate.notBefore.getTime() > now) {
    return { ok: false, reason: "not_yet_valid", message: `The certificate is not valid before ${certificate.notBefore.toISOString()}.` };
  }
  const fingerprint = bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return {
    ok: true,
    certificate: {
      base64: btoa(binary),
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      keyType: key.keyType,
      fingerprintSha256: fingerprint.match(/../g)!.join(":").toUpperCase(),
    },
  };
}

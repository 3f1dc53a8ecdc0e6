/**
 * XML-DSig verification of one enveloped signature (XML Signature 1.1 §3.2, core validation), over WebCrypto.
 * Pure apart from WebCrypto: the signed element, its Signature child and the configured certificates in; the
 * canonical text that was verified out — the caller parses and reads only that text, never the original tree.
 *
 * Checks, in order, each with its own reason code:
 *  1. shape: one SignedInfo, one SignatureValue, at most one KeyInfo, nothing else (no Object/Manifest);
 *  2. SignedInfo: exclusive C14N, an allowlisted SignatureMethod, exactly one Reference;
 *  3. the Reference names the signed element itself (`URI="#<its ID>"`): a signature that covers some other
 *     element is refused (signature wrapping);
 *  4. transforms exactly `enveloped-signature` then exclusive C14N; an allowlisted DigestMethod;
 *  5. the digest of the canonical element (Signature left out; comments left out, as bare-name references
 *     require: XML-DSig §4.4.3.3) equals DigestValue;
 *  6. SignatureValue verifies over canonical SignedInfo with one of the tenant's certificates — never a key from
 *     KeyInfo (whose certificate is only reported, to tell the admin which key the IdP used).
 */
import { base64DecodeStrict, bytesToHex, utf8Encode } from "../../lib/bytes";
import type { CertificateInfo } from "../certs";
import { samlFailure, type SamlFailure } from "../errors";
import { NS } from "../namespaces";
import { canonicalizeExclusive } from "../xml/c14n";
import type { XmlElement } from "../xml/parse";
import { attribute, childElements, onlyChild, textContent } from "../xml/tree";
import { C14N_EXCLUSIVE_WITH_COMMENTS, DIGEST_ALGORITHMS, isExclusiveC14n, SIGNATURE_ALGORITHMS, TRANSFORM_ENVELOPED } from "./algorithms";
import { verificationKey } from "./keys";

export interface VerifyOptions {
  certificates: readonly Pick<CertificateInfo, "base64" | "fingerprintSha256">[];
  allowSha1: boolean;
}

export type SignatureCheck = { ok: true; verifiedXml: string; fingerprintSha256: string; algorithm: string } | { ok: false; failure: SamlFailure };

const EXC_C14N_NS = "http://www.w3.org/2001/10/xml-exc-c14n#";

/** The one XML-DSig child of that name, or undefined when there are none or several. */
function one(parent: XmlElement, localName: string): XmlElement | undefined {
  return onlyChild(parent, NS.dsig, localName);
}

function elementChildren(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => child.kind === "element");
}

/** `InclusiveNamespaces PrefixList="xs saml"` under a C14N method or transform. */
function inclusivePrefixes(method: XmlElement): string[] {
  const list = childElements(method, EXC_C14N_NS, "InclusiveNamespaces")[0];
  const prefixes = list ? attribute(list, "PrefixList") : undefined;
  return prefixes ? prefixes.trim().split(/\s+/).filter(Boolean) : [];
}

function base64Value(element: XmlElement): Uint8Array | null {
  return base64DecodeStrict(textContent(element).replace(/[\s]+/g, ""));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

async function sha256Fingerprint(der: Uint8Array): Promise<string> {
  const hex = bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", der)));
  return hex.match(/../g)!.join(":").toUpperCase();
}

/** The fingerprint of the certificate the IdP says it signed with (KeyInfo), for the admin; null if none. */
async function keyInfoFingerprint(signature: XmlElement): Promise<string | null> {
  const keyInfo = childElements(signature, NS.dsig, "KeyInfo")[0];
  const data = keyInfo && childElements(keyInfo, NS.dsig, "X509Data")[0];
  const certificate = data && childElements(data, NS.dsig, "X509Certificate")[0];
  const der = certificate && base64Value(certificate);
  return der ? sha256Fingerprint(der) : null;
}

export async function verifyEnvelopedSignature(signed: XmlElement, signature: XmlElement, options: VerifyOptions): Promise<SignatureCheck> {
  // 1. Shape.
  const signedInfo = one(signature, "SignedInfo");
  const signatureValue = one(signature, "SignatureValue");
  const unexpected = elementChildren(signature).filter((child) => child.namespaceUri !== NS.dsig || !["SignedInfo", "SignatureValue", "KeyInfo"].includes(child.localName));
  if (!signedInfo || !signatureValue || unexpected.length > 0 || childElements(signature, NS.dsig, "KeyInfo").length > 1) {
    return samlFailure("signature_malformed", { problem: "a Signature has exactly one SignedInfo and SignatureValue, at most one KeyInfo, and nothing else" });
  }

  // 2. SignedInfo.
  const c14nMethod = one(signedInfo, "CanonicalizationMethod");
  const signatureMethod = one(signedInfo, "SignatureMethod");
  const references = childElements(signedInfo, NS.dsig, "Reference");
  if (!c14nMethod || !signatureMethod || references.length !== 1) {
    return samlFailure("signature_malformed", { problem: "SignedInfo needs one CanonicalizationMethod, one SignatureMethod and exactly one Reference", references: references.length });
  }
  const c14nUri = attribute(c14nMethod, "Algorithm");
  if (!isExclusiveC14n(c14nUri)) return samlFailure("unsupported_algorithm", { canonicalization: c14nUri ?? null, accepted: "exclusive C14N" });
  const signatureUri = attribute(signatureMethod, "Algorithm") ?? "";
  const algorithm = SIGNATURE_ALGORITHMS[signatureUri];
  if (!algorithm) return samlFailure("unsupported_algorithm", { signatureMethod: signatureUri });
  if (algorithm.hash === "SHA-1" && !options.allowSha1) return samlFailure("sha1_not_allowed", { signatureMethod: signatureUri });

  // 3. The reference must be the signed element itself.
  const reference = references[0]!;
  const id = attribute(signed, "ID");
  const uri = attribute(reference, "URI");
  if (!id || uri !== `#${id}`) return samlFailure("reference_mismatch", { referenceUri: uri ?? null, signedElementId: id ?? null });

  // 4. Transforms and digest method.
  const transformsElement = one(reference, "Transforms");
  const transforms = transformsElement ? childElements(transformsElement, NS.dsig, "Transform") : [];
  const transformUris = transforms.map((transform) => attribute(transform, "Algorithm") ?? "");
  if (transforms.length !== 2 || transformUris[0] !== TRANSFORM_ENVELOPED || !isExclusiveC14n(transformUris[1])) {
    return samlFailure("transforms_unsupported", { transforms: transformUris, accepted: "enveloped-signature, then exclusive C14N" });
  }
  const digestMethod = one(reference, "DigestMethod");
  const digestValueElement = one(reference, "DigestValue");
  const digestUri = digestMethod ? (attribute(digestMethod, "Algorithm") ?? "") : "";
  const digestHash = DIGEST_ALGORITHMS[digestUri];
  if (!digestHash) return samlFailure("unsupported_algorithm", { digestMethod: digestUri });
  if (digestHash === "SHA-1" && !options.allowSha1) return samlFailure("sha1_not_allowed", { digestMethod: digestUri });
  const expectedDigest = digestValueElement ? base64Value(digestValueElement) : null;
  if (!expectedDigest) return samlFailure("signature_malformed", { problem: "DigestValue is not base64" });

  // 5 and 6 run at once (neither needs the other's result); both must pass, and a wrong digest is reported first.
  // 5. The digest of exactly what will be read afterwards.
  const verifiedXml = canonicalizeExclusive(signed, { inclusivePrefixes: inclusivePrefixes(transforms[1]!), exclude: signature, withComments: false });
  // 6. The signature over canonical SignedInfo, with the tenant's keys only.
  const signedInfoText = canonicalizeExclusive(signedInfo, { inclusivePrefixes: inclusivePrefixes(c14nMethod), withComments: c14nUri === C14N_EXCLUSIVE_WITH_COMMENTS });
  const signatureBytes = base64Value(signatureValue);
  if (!signatureBytes) return samlFailure("signature_malformed", { problem: "SignatureValue is not base64" });
  const data = utf8Encode(signedInfoText);
  const params = algorithm.name === "ECDSA" ? { name: "ECDSA", hash: algorithm.hash } : { name: algorithm.name };
  const verifiedBy = async (): Promise<string | null> => {
    for (const certificate of options.certificates) {
      const key = await verificationKey(certificate.base64, algorithm);
      if (key && (await crypto.subtle.verify(params, key, signatureBytes, data))) return certificate.fingerprintSha256;
    }
    return null;
  };
  const [digest, fingerprint] = await Promise.all([crypto.subtle.digest(digestHash, utf8Encode(verifiedXml)), verifiedBy()]);
  if (!equalBytes(new Uint8Array(digest), expectedDigest)) return samlFailure("digest_mismatch", { signedElementId: id });
  if (fingerprint !== null) return { ok: true, verifiedXml, fingerprintSha256: fingerprint, algorithm: signatureUri };
  return samlFailure("signature_invalid", {
    signedWith: await keyInfoFingerprint(signature),
    configured: options.certificates.map((certificate) => certificate.fingerprintSha256),
  });
}

/**
 * The structure and signature steps of Response validation: the signature-wrapping defences (XSW1–XSW8 and kin).
 * Exactly one Assertion in the whole document, a direct child of the Response; every ID unique; Signatures only
 * as direct children of the Response or that Assertion, one each; each Reference names its own parent
 * (dsig/verify.ts); and — the decisive one — the assertion is read from the canonical text the signature check
 * verified, read back, never from the tree the sender built.
 */
import type { CertificateInfo } from "./certs";
import { verifyEnvelopedSignature } from "./dsig/verify";
import { samlFailure, type SamlFailure } from "./errors";
import { NS } from "./namespaces";
import { readCanonicalXml } from "./xml/canonical-reader";
import type { XmlElement } from "./xml/parse";
import { attribute, childElements, descendants, onlyChild } from "./xml/tree";

function signatureOf(element: XmlElement): XmlElement[] {
  return childElements(element, NS.dsig, "Signature");
}

/** Structural rules on the document as received, before any signature is checked. */
export function checkStructure(response: XmlElement): { assertion: XmlElement } | { ok: false; failure: SamlFailure } {
  const all = descendants(response);
  if (all.some((e) => e.namespaceUri === NS.assertion && (e.localName === "EncryptedAssertion" || e.localName === "EncryptedID"))) {
    return samlFailure("encrypted_assertion_unsupported", { hint: "turn off assertion encryption in the IdP app" });
  }
  const assertions = all.filter((e) => e.namespaceUri === NS.assertion && e.localName === "Assertion");
  const direct = childElements(response, NS.assertion, "Assertion");
  if (assertions.length !== 1 || direct.length !== 1) return samlFailure("assertion_count", { assertions: assertions.length, directChildren: direct.length });
  const assertion = direct[0]!;
  const ids = new Set<string>();
  for (const element of all) {
    const id = attribute(element, "ID");
    if (id === undefined) continue;
    if (ids.has(id)) return samlFailure("duplicate_id", { id });
    ids.add(id);
  }
  const signatures = all.filter((e) => e.namespaceUri === NS.dsig && e.localName === "Signature");
  const placed = [...signatureOf(response), ...signatureOf(assertion)];
  if (signatures.length !== placed.length || signatureOf(response).length > 1 || signatureOf(assertion).length > 1) {
    return samlFailure("signature_misplaced", { signatures: signatures.length, onResponse: signatureOf(response).length, onAssertion: signatureOf(assertion).length });
  }
  if (signatures.length === 0) return samlFailure("signature_missing", { hint: "sign the assertion (Okta signs it by default)" });
  return { assertion };
}

/** The verified canonical text, read back: the only source the assertion is consumed from. */
function reparse(verifiedXml: string): XmlElement | undefined {
  const parsed = readCanonicalXml(verifiedXml);
  return parsed.ok ? parsed.root : undefined;
}

export interface Verified {
  response: XmlElement;
  assertion: XmlElement;
  signedBy: string;
  signed: ("response" | "assertion")[];
}

/** Checks the signatures and returns the verified Response (when signed) and Assertion, re-parsed. */
export async function verifySignatures(response: XmlElement, assertion: XmlElement, certificates: readonly CertificateInfo[], allowSha1: boolean): Promise<Verified | { ok: false; failure: SamlFailure }> {
  const options = { certificates, allowSha1 };
  let verifiedResponse: XmlElement | undefined;
  let verifiedAssertion: XmlElement | undefined;
  let signedBy = "";
  const signed: ("response" | "assertion")[] = [];
  const responseSignature = signatureOf(response)[0];
  if (responseSignature) {
    const check = await verifyEnvelopedSignature(response, responseSignature, options);
    if (!check.ok) return check;
    verifiedResponse = reparse(check.verifiedXml);
    const inner = verifiedResponse && onlyChild(verifiedResponse, NS.assertion, "Assertion");
    if (!verifiedResponse || !inner) return samlFailure("assertion_count", { problem: "the signed response holds no single assertion" });
    verifiedAssertion = inner;
    signedBy = check.fingerprintSha256;
    signed.push("response");
  }
  const assertionSignature = signatureOf(assertion)[0];
  if (assertionSignature) {
    const check = await verifyEnvelopedSignature(assertion, assertionSignature, options);
    if (!check.ok) return check;
    verifiedAssertion = reparse(check.verifiedXml);
    if (!verifiedAssertion) return samlFailure("xml_malformed", { problem: "the verified assertion does not parse" });
    signedBy = check.fingerprintSha256;
    signed.push("assertion");
  }
  // An unsigned Response's own fields (Status, Destination, InResponseTo) are read from the received tree: every
  // one of them is also enforced inside the signed assertion, or can only turn a success into a failure.
  return { response: verifiedResponse ?? response, assertion: verifiedAssertion!, signedBy, signed };
}


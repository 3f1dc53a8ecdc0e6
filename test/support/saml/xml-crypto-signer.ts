/** Signing with the npm package xml-crypto: a second independent signer (DOM-based, its own C14N). */
import { SignedXml } from "xml-crypto";

export function signWithXmlCrypto(xml: string, keyPem: string, certPem: string, what: "assertion" | "response", signatureAlgorithm: string, digestAlgorithm: string): string {
  const target = what === "assertion" ? "Assertion" : "Response";
  const signer = new SignedXml({ privateKey: keyPem, publicCert: certPem, signatureAlgorithm, canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#" });
  signer.addReference({
    xpath: `//*[local-name(.)='${target}' and @ID]`,
    digestAlgorithm,
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  });
  signer.computeSignature(xml, {
    prefix: "ds",
    location: { reference: `//*[local-name(.)='${target}']/*[local-name(.)='Issuer']`, action: "after" },
  });
  return signer.getSignedXml();
}

/**
 * SAML Responses shaped like Okta's (a captured Okta response, names and order kept: saml2p/saml2 prefixes,
 * InclusiveNamespaces "xs", xsi:type attribute values), built unsigned with signature templates in place for a
 * signer to fill. Test support, runs in Node.
 */
export const NS = {
  protocol: "urn:oasis:names:tc:SAML:2.0:protocol",
  assertion: "urn:oasis:names:tc:SAML:2.0:assertion",
  dsig: "http://www.w3.org/2000/09/xmldsig#",
};

export interface ResponseSpec {
  responseId: string;
  assertionId: string;
  issuer: string;
  audience: string;
  acsUrl: string;
  destination?: string | null;
  nameId: string;
  inResponseTo?: string | null;
  issueInstant: string;
  notBefore: string;
  notOnOrAfter: string;
  confirmationNotOnOrAfter: string;
  sessionNotOnOrAfter?: string | null;
  status?: string;
  attributes?: Record<string, string[]>;
  /** Where signature templates go. */
  sign: "assertion" | "response" | "both" | "none";
  signatureAlgorithm: string;
  digestAlgorithm: string;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

export function signatureTemplate(referenceId: string, signatureAlgorithm: string, digestAlgorithm: string): string {
  return (
    `<ds:Signature xmlns:ds="${NS.dsig}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `<ds:SignatureMethod Algorithm="${signatureAlgorithm}"/><ds:Reference URI="#${referenceId}"><ds:Transforms>` +
    `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
    `<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/></ds:Transform>` +
    `</ds:Transforms><ds:DigestMethod Algorithm="${digestAlgorithm}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate></ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
  );
}

export function buildResponse(spec: ResponseSpec): string {
  const inResponseTo = spec.inResponseTo ? ` InResponseTo="${escape(spec.inResponseTo)}"` : "";
  const destination = spec.destination === null ? "" : ` Destination="${escape(spec.destination ?? spec.acsUrl)}"`;
  const attributes = Object.entries(spec.attributes ?? {})
    .map(
      ([name, values]) =>
        `<saml2:Attribute Name="${escape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">` +
        values.map((value) => `<saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escape(value)}</saml2:AttributeValue>`).join("") +
        `</saml2:Attribute>`,
    )
    .join("");
  const session = spec.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${spec.sessionNotOnOrAfter}"` : "";
  const assertionSignature = spec.sign === "assertion" || spec.sign === "both" ? signatureTemplate(spec.assertionId, spec.signatureAlgorithm, spec.digestAlgorithm) : "";
  const responseSignature = spec.sign === "response" || spec.sign === "both" ? signatureTemplate(spec.responseId, spec.signatureAlgorithm, spec.digestAlgorithm) : "";
  const assertion =
    `<saml2:Assertion xmlns:saml2="${NS.assertion}" ID="${spec.assertionId}" IssueInstant="${spec.issueInstant}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${escape(spec.issuer)}</saml2:Issuer>${assertionSignature}` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(spec.nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${spec.confirmationNotOnOrAfter}" Recipient="${escape(spec.acsUrl)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${spec.notBefore}" NotOnOrAfter="${spec.notOnOrAfter}"><saml2:AudienceRestriction><saml2:Audience>${escape(spec.audience)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${spec.issueInstant}" SessionIndex="${spec.assertionId}"${session}><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    (attributes ? `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` : "") +
    `</saml2:Assertion>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><saml2p:Response xmlns:saml2p="${NS.protocol}"${destination} ID="${spec.responseId}"${inResponseTo} IssueInstant="${spec.issueInstant}" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">` +
    `<saml2:Issuer xmlns:saml2="${NS.assertion}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${escape(spec.issuer)}</saml2:Issuer>${responseSignature}` +
    `<saml2p:Status xmlns:saml2p="${NS.protocol}"><saml2p:StatusCode Value="${spec.status ?? "urn:oasis:names:tc:SAML:2.0:status:Success"}"/></saml2p:Status>${assertion}</saml2p:Response>`
  );
}

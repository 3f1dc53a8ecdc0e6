/**
 * SAML Responses shaped like Entra ID's: the assertion in the default namespace (no prefix), an unprefixed
 * Signature, claim-URI attribute names, no InclusiveNamespaces. Exercises exclusive C14N's default-namespace rules
 * (an xmlns="" undo, a default declared on the apex). Test support, runs in Node.
 */
import { NS, type ResponseSpec } from "./okta-response";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

function signatureTemplate(referenceId: string, signatureAlgorithm: string, digestAlgorithm: string): string {
  return (
    `<Signature xmlns="${NS.dsig}"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `<SignatureMethod Algorithm="${signatureAlgorithm}"/><Reference URI="#${referenceId}"><Transforms>` +
    `<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
    `</Transforms><DigestMethod Algorithm="${digestAlgorithm}"/><DigestValue></DigestValue></Reference></SignedInfo>` +
    `<SignatureValue></SignatureValue><KeyInfo><X509Data><X509Certificate></X509Certificate></X509Data></KeyInfo></Signature>`
  );
}

export function buildEntraResponse(spec: ResponseSpec): string {
  const inResponseTo = spec.inResponseTo ? ` InResponseTo="${escape(spec.inResponseTo)}"` : "";
  const attributes = Object.entries(spec.attributes ?? {})
    .map(([name, values]) => `<Attribute Name="${escape(name)}">${values.map((value) => `<AttributeValue>${escape(value)}</AttributeValue>`).join("")}</Attribute>`)
    .join("");
  const signature = spec.sign === "assertion" ? signatureTemplate(spec.assertionId, spec.signatureAlgorithm, spec.digestAlgorithm) : "";
  return (
    `<samlp:Response ID="${spec.responseId}" Version="2.0" IssueInstant="${spec.issueInstant}" Destination="${escape(spec.destination ?? spec.acsUrl)}"${inResponseTo} xmlns:samlp="${NS.protocol}">` +
    `<Issuer xmlns="${NS.assertion}">${escape(spec.issuer)}</Issuer><samlp:Status><samlp:StatusCode Value="${spec.status ?? "urn:oasis:names:tc:SAML:2.0:status:Success"}"/></samlp:Status>` +
    `<Assertion ID="${spec.assertionId}" IssueInstant="${spec.issueInstant}" Version="2.0" xmlns="${NS.assertion}"><Issuer>${escape(spec.issuer)}</Issuer>${signature}` +
    `<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escape(spec.nameId)}</NameID>` +
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData${inResponseTo} NotOnOrAfter="${spec.confirmationNotOnOrAfter}" Recipient="${escape(spec.acsUrl)}"/></SubjectConfirmation></Subject>` +
    `<Conditions NotBefore="${spec.notBefore}" NotOnOrAfter="${spec.notOnOrAfter}"><AudienceRestriction><Audience>${escape(spec.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>${attributes}</AttributeStatement>` +
    `<AuthnStatement AuthnInstant="${spec.issueInstant}" SessionIndex="_${spec.assertionId}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>` +
    `</Assertion></samlp:Response>`
  );
}

/** Okta-shaped response specs for tests, valid now (no workerd or Node imports: both test projects use it). */
import type { ResponseSpec } from "./okta-response";

export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
export const RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
export const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
export const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
export const SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";
export const OKTA_ISSUER = "http://www.okta.com/exk1gatehousetest";

let counter = 0;

/** An Okta-shaped response for `origin`, valid now; `overrides` changes one thing at a time. */
export function responseSpec(origin: string, nameId: string, overrides: Partial<ResponseSpec> = {}, now = Date.now()): ResponseSpec {
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
  counter += 1;
  const unique = `${now.toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`;
  return {
    responseId: `id${unique}r`,
    assertionId: `id${unique}a`,
    issuer: OKTA_ISSUER,
    audience: origin,
    acsUrl: `${origin}/okta/auth`,
    nameId,
    issueInstant: at(0),
    notBefore: at(-60),
    notOnOrAfter: at(300),
    confirmationNotOnOrAfter: at(300),
    sign: "assertion",
    signatureAlgorithm: RSA_SHA256,
    digestAlgorithm: SHA256,
    attributes: { firstName: ["Ada"], lastName: ["Lovelace"], email: [nameId], groups: ["Engineering", "Everyone"] },
    ...overrides,
  };
}


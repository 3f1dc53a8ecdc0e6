/**
 * The only algorithms the verifier accepts, by URI (XML-DSig 1.1 §6, RFC 6931). Anything else is refused, so an
 * attacker cannot pick a weaker or confusable algorithm (`none`, HMAC with the public key, MD5, …). SHA-1 is
 * listed separately and allowed only when a tenant turns it on for a legacy IdP.
 */
export const C14N_EXCLUSIVE = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const C14N_EXCLUSIVE_WITH_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
export const TRANSFORM_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

export type HashName = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

export const DIGEST_ALGORITHMS: Record<string, HashName> = {
  "http://www.w3.org/2001/04/xmlenc#sha256": "SHA-256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384": "SHA-384",
  "http://www.w3.org/2001/04/xmlenc#sha512": "SHA-512",
  "http://www.w3.org/2000/09/xmldsig#sha1": "SHA-1",
};

export interface SignatureAlgorithm {
  name: "RSASSA-PKCS1-v1_5" | "ECDSA";
  hash: HashName;
}

export const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384" },
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": { name: "ECDSA", hash: "SHA-256" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": { name: "ECDSA", hash: "SHA-384" },
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": { name: "ECDSA", hash: "SHA-512" },
  "http://www.w3.org/2000/09/xmldsig#rsa-sha1": { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" },
};

export function isExclusiveC14n(uri: string | undefined): boolean {
  return uri === C14N_EXCLUSIVE || uri === C14N_EXCLUSIVE_WITH_COMMENTS;
}

/**
 * The pure verifier against responses signed by independent implementations (xmlsec1 and xml-crypto), in
 * Okta's shapes, and one "bad" response per rule — each changing one thing from a good one — with its reason code.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, type CertificateInfo } from "../../src/saml/certs";
import { verifySamlResponse, type ResponseExpectations } from "../../src/saml/response";
import type { SignRequest } from "../support/saml/types";
import { ECDSA_SHA256, OKTA_ISSUER, RSA_SHA1, RSA_SHA256, SHA1, SHA256, responseSpec, signedResponse } from "../helpers/saml";
import ecPem from "../fixtures/certs/idp-ec.pem?raw";
import nextPem from "../fixtures/certs/idp-rsa-next.pem?raw";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

const ORIGIN = "https://acme.theirapp.test";
let rsa: CertificateInfo;
let next: CertificateInfo;
let ec: CertificateInfo;

beforeAll(async () => {
  const now = Date.now();
  for (const [pem, assign] of [[rsaPem, (c: CertificateInfo) => (rsa = c)], [nextPem, (c: CertificateInfo) => (next = c)], [ecPem, (c: CertificateInfo) => (ec = c)]] as const) {
    const parsed = await parseCertificate(pem, now);
    if (!parsed.ok) throw new Error(parsed.message);
    assign(parsed.certificate);
  }
});

function expectations(overrides: Partial<ResponseExpectations> = {}): ResponseExpectations {
  return { issuer: OKTA_ISSUER, audience: ORIGIN, acsUrl: `${ORIGIN}/okta/auth`, now: Date.now(), clockSkewSeconds: 180, allowIdpInitiated: true, ...overrides };
}

async function verify(request: SignRequest, options: { certificates?: CertificateInfo[]; allowSha1?: boolean; expect?: Partial<ResponseExpectations> } = {}) {
  const xml = await signedResponse(request);
  return verifySamlResponse(xml, { certificates: options.certificates ?? [rsa], allowSha1: options.allowSha1 ?? false }, expectations(options.expect));
}

const good = (overrides: Parameters<typeof responseSpec>[2] = {}) => responseSpec(ORIGIN, "ada@acme.test", overrides);

describe("good responses from independent signers", () => {
  it.each([
    ["xmlsec1, signed assertion (Okta's default)", { spec: good() }],
    ["xmlsec1, signed response", { spec: good({ sign: "response" }) }],
    ["xmlsec1, both signed", { spec: good({ sign: "both" }) }],
    ["xml-crypto, signed assertion", { spec: good(), signer: "xml-crypto" }],
    ["xml-crypto, signed response", { spec: good({ sign: "response" }), signer: "xml-crypto" }],
  ] as [string, SignRequest][])("%s", async (_name, request) => {
    const result = await verify(request);
    expect(result.ok ? result.assertion : result.failure).toMatchObject({
      nameId: "ada@acme.test",
      issuer: OKTA_ISSUER,
      inResponseTo: null,
      signedBy: rsa.fingerprintSha256,
      attributes: { firstName: ["Ada"], lastName: ["Lovelace"], groups: ["Engineering", "Everyone"] },
    });
  });

  it("an Entra-shaped response (default namespaces, claim-URI attributes) signed by xmlsec1", async () => {
    const spec = good({ attributes: { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ["Ada"], "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": ["b3c6", "f00d"] } });
    const result = await verify({ spec, shape: "entra" });
    expect(result.ok ? result.assertion : result.failure).toMatchObject({ nameId: "ada@acme.test", attributes: { "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups": ["b3c6", "f00d"] } });
    const tampered = await verify({ spec, shape: "entra", tamperNameId: "mallory@acme.test" });
    expect(!tampered.ok && tampered.failure.reason).toBe("digest_mismatch");
  });

  it("ECDSA P-256 signatures verify with an EC certificate", async () => {
    const result = await verify({ spec: good({ signatureAlgorithm: ECDSA_SHA256 }), key: "ec" }, { certificates: [ec] });
    expect(result.ok && result.assertion.signedBy).toBe(ec.fingerprintSha256);
  });

  it("during a key rollover either configured certificate verifies, and the one used is reported", async () => {
    const result = await verify({ spec: good(), key: "rsa-next" }, { certificates: [rsa, next] });
    expect(result.ok && result.assertion.signedBy).toBe(next.fingerprintSha256);
  });

  it("a clock 2 minutes ahead is within the default 3-minute skew", async () => {
    const now = Date.now();
    const result = await verify({ spec: responseSpec(ORIGIN, "ada@acme.test", { notBefore: new Date(now + 120_000).toISOString() }) });
    expect(result.ok).toBe(true);
  });

  it("SHA-1 is accepted only when the tenant allows it", async () => {
    const request: SignRequest = { spec: good({ signatureAlgorithm: RSA_SHA1, digestAlgorithm: SHA1 }) };
    const refused = await verify(request);
    expect(!refused.ok && refused.failure.reason).toBe("sha1_not_allowed");
    expect((await verify(request, { allowSha1: true })).ok).toBe(true);
  });
});

describe("one bad response per rule", () => {
  const past = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
  const future = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  it.each([
    ["unsigned", "signature_missing", { spec: good({ sign: "none" }) }, {}],
    ["signed by a key the tenant did not configure", "signature_invalid", { spec: good(), key: "attacker" }, {}],
    ["NameID changed after signing", "digest_mismatch", { spec: good(), tamperNameId: "mallory@acme.test" }, {}],
    ["wrong audience", "audience_mismatch", { spec: good({ audience: "https://other.theirapp.test" }) }, {}],
    ["wrong recipient", "recipient_mismatch", { spec: good({ acsUrl: "https://evil.test/okta/auth", destination: `${ORIGIN}/okta/auth` }) }, {}],
    ["wrong destination", "destination_mismatch", { spec: good({ destination: "https://evil.test/acs" }) }, {}],
    ["wrong issuer", "issuer_mismatch", { spec: good({ issuer: "http://www.okta.com/someoneelse" }) }, {}],
    ["expired conditions", "assertion_expired", { spec: good({ notBefore: past(900), notOnOrAfter: past(600) }) }, {}],
    ["not yet valid", "assertion_not_yet_valid", { spec: good({ notBefore: future(600) }) }, {}],
    ["expired bearer confirmation", "subject_confirmation_expired", { spec: good({ confirmationNotOnOrAfter: past(600) }) }, {}],
    ["IdP reports failure", "status_not_success", { spec: good({ status: "urn:oasis:names:tc:SAML:2.0:status:Responder" }) }, {}],
    ["IdP-initiated when the tenant turned it off", "idp_initiated_disabled", { spec: good() }, { allowIdpInitiated: false }],
    ["an algorithm outside the allowlist (HMAC)", "unsupported_algorithm", { spec: good(), replaceAfterSigning: [RSA_SHA256, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"] }, {}],
    ["an algorithm outside the allowlist (MD5 digest)", "unsupported_algorithm", { spec: good(), replaceAfterSigning: [SHA256, "http://www.w3.org/2001/04/xmldsig-more#md5"] }, {}],
    ["inclusive C14N instead of exclusive", "unsupported_algorithm", { spec: good(), replaceAfterSigning: ['CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"', 'CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"'] }, {}],
    ["an extra XSLT transform", "transforms_unsupported", { spec: good(), replaceAfterSigning: ['<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'] }, {}],
    ["a Reference to another ID", "reference_mismatch", { spec: good(), replaceAfterSigning: ['Reference URI="#', 'Reference URI="#other'] }, {}],
    ["a DOCTYPE", "xml_doctype_forbidden", { spec: good(), prolog: '<!DOCTYPE r [<!ENTITY x "y">]>' }, {}],
    ["a processing instruction inside the signed content", "xml_processing_instruction", { spec: good(), prolog: "<?evil x?>" }, {}],
  ] as [string, string, SignRequest, Partial<ResponseExpectations>][])("%s → %s", async (_, reason, request, expect_) => {
    const result = await verify(request, { expect: expect_ });
    expect(result.ok ? "accepted" : result.failure.reason).toBe(reason);
  });

  it("an InResponseTo on an unsigned Response that the signed assertion does not carry is refused", async () => {
    // Someone holding an IdP-initiated assertion cannot pass it off as the answer to their own AuthnRequest.
    const xml = (await signedResponse({ spec: good() })).replace("<saml2p:Response ", '<saml2p:Response InResponseTo="_attacker_request" ');
    const result = await verifySamlResponse(xml, { certificates: [rsa], allowSha1: false }, expectations({ allowIdpInitiated: false }));
    expect(!result.ok && result.failure.reason).toBe("in_response_to_unknown");
  });

  it("reports the IdP and edge clocks when times disagree", async () => {
    const result = await verify({ spec: good({ notBefore: new Date(Date.now() + 600_000).toISOString() }) });
    expect(!result.ok && result.failure.detail).toMatchObject({ edgeTime: expect.any(String), notBefore: expect.any(String), clockSkewSeconds: 180 });
  });

  it("reports which certificate the IdP signed with when it is not configured", async () => {
    const result = await verify({ spec: good(), key: "rsa-next" });
    expect(!result.ok && result.failure.detail).toMatchObject({ signedWith: next.fingerprintSha256, configured: [rsa.fingerprintSha256] });
  });
});

describe("signature wrapping and comment truncation", () => {
  it.each([
    ["xsw1", "response"],
    ["xsw2", "response"],
    ["xsw3", "assertion"],
    ["xsw4", "assertion"],
    ["xsw5", "assertion"],
    ["xsw6", "assertion"],
    ["xsw7", "assertion"],
    ["xsw8", "assertion"],
    ["duplicate_id", "assertion"],
    ["reference_other_element", "assertion"],
  ] as const)("%s (signed %s) is refused", async (attack, sign) => {
    const result = await verify({ spec: good({ sign }), wrap: attack });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(["assertion_count", "signature_misplaced", "signature_malformed", "duplicate_id", "reference_mismatch", "digest_mismatch"]).toContain(result.failure.reason);
  });

  it("alice@acme.test.evil.test with a comment after alice@acme.test is read whole (CVE-2017-11427)", async () => {
    const spec = responseSpec(ORIGIN, "alice@acme.test.evil.test");
    const result = await verify({ spec, commentAt: "alice@acme.test".length });
    expect(result.ok && result.assertion.nameId).toBe("alice@acme.test.evil.test");
  });
});

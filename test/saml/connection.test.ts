import { X509CertificateGenerator } from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { parseCertificate } from "../../src/saml/certs";
import { validateSamlSettings } from "../../src/saml/connection";
import { parseIdpMetadata } from "../../src/saml/metadata";
import ecPem from "../fixtures/certs/idp-ec.pem?raw";
import nextPem from "../fixtures/certs/idp-rsa-next.pem?raw";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";
import weakPem from "../fixtures/certs/weak-rsa1024.pem?raw";
import oktaMetadata from "../fixtures/okta-metadata.xml?raw";

const NOW = Date.parse("2027-01-01T00:00:00Z");

async function certificateValidBetween(notBefore: string, notAfter: string): Promise<string> {
  const keys = await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=dated",
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    keys: keys as CryptoKeyPair,
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  });
  return certificate.toString("pem");
}

describe("IdP certificates", () => {
  it("parses PEM and bare base64, and shows the facts an admin checks", async () => {
    const pem = await parseCertificate(rsaPem, NOW);
    expect(pem.ok).toBe(true);
    if (!pem.ok) return;
    expect(pem.certificate).toMatchObject({ keyType: "RSA 2048", subject: expect.stringContaining("CN=gatehouse-test") });
    expect(pem.certificate.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const bare = await parseCertificate(rsaPem.replace(/-----[^-]+-----/g, ""), NOW);
    expect(bare.ok && bare.certificate.fingerprintSha256).toBe(pem.certificate.fingerprintSha256);
    const ec = await parseCertificate(ecPem, NOW);
    expect(ec.ok && ec.certificate.keyType).toBe("EC P-256");
  });

  it.each([
    ["not a certificate", "hello", "not_a_certificate"],
    ["a PEM with a broken body", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "not_a_certificate"],
    ["a 1024-bit RSA key", weakPem, "weak_key"],
  ])("refuses %s", async (_, text, reason) => {
    const result = await parseCertificate(text, NOW);
    expect(!result.ok && result.reason).toBe(reason);
  });

  it("refuses expired and not-yet-valid certificates", async () => {
    const expired = await parseCertificate(await certificateValidBetween("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"), NOW);
    expect(!expired.ok && expired.reason).toBe("expired");
    const future = await parseCertificate(await certificateValidBetween("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z"), NOW);
    expect(!future.ok && future.reason).toBe("not_yet_valid");
  });
});

describe("IdP metadata", () => {
  it("reads Okta's metadata: entityID, the redirect SSO URL, the signing certificate", async () => {
    const result = parseIdpMetadata(oktaMetadata);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.metadata.entityId).toBe("http://www.okta.com/exk1gatehousetest");
    expect(result.metadata.ssoUrl).toBe("https://acme.okta.com/app/acme_gatehouse_1/exk1gatehousetest/sso/saml?redirect=1&x=y");
    const parsed = await parseCertificate(result.metadata.certificates[0]!, NOW);
    const pasted = await parseCertificate(rsaPem, NOW);
    expect(parsed.ok && pasted.ok && parsed.certificate.fingerprintSha256 === pasted.certificate.fingerprintSha256).toBe(true);
  });

  it.each([
    ["<x/>", /not SAML metadata/],
    ['<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>', /no entityID/],
    ['<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>', /exactly one SAML 2.0 IDPSSODescriptor/],
    ['<!DOCTYPE x><md:EntityDescriptor/>', /not valid XML/],
  ])("refuses %s", (xml, message) => {
    const result = parseIdpMetadata(xml);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe("SAML connection settings", () => {
  const good = { ssoUrl: "https://acme.okta.com/app/x/sso/saml", issuer: "http://www.okta.com/exk1", certificates: [rsaPem] };

  it("accepts the three values with defaults for the options", async () => {
    const result = await validateSamlSettings(good, NOW);
    expect(result.ok && result.settings).toMatchObject({ ssoUrl: good.ssoUrl, issuer: good.issuer, allowIdpInitiated: true, allowSha1: false, clockSkewSeconds: 180, jitProvisioning: false });
  });

  it("accepts two certificates during a rollover, and metadata instead of the three values", async () => {
    const two = await validateSamlSettings({ ...good, certificates: [rsaPem, nextPem] }, NOW);
    expect(two.ok && two.settings.certificates).toHaveLength(2);
    const metadata = await validateSamlSettings({ metadataXml: oktaMetadata }, NOW);
    expect(metadata.ok && metadata.settings.issuer).toBe("http://www.okta.com/exk1gatehousetest");
  });

  it("reports every bad field at once", async () => {
    const result = await validateSamlSettings({ ssoUrl: "http://acme.okta.com/sso", issuer: "", certificates: ["nope"], clockSkewSeconds: 99999 }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["certificates", "issuer", "options", "ssoUrl"]);
    expect(result.errors.ssoUrl).toMatch(/https/);
  });

  it("refuses metadata mixed with pasted values, and more than two certificates", async () => {
    const mixed = await validateSamlSettings({ ...good, metadataXml: oktaMetadata }, NOW);
    expect(!mixed.ok && mixed.errors.metadataXml).toMatch(/either/);
    const three = await validateSamlSettings({ ...good, certificates: [rsaPem, nextPem, ecPem] }, NOW);
    expect(!three.ok && three.errors.certificates).toMatch(/At most 2/);
  });
});

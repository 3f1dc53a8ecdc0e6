/**
 * The console's set-up flow through the real worker: Okta's values in (per-field errors, nothing saved on bad
 * input), the SCIM token shown exactly once, rotation, a second certificate, console access, and CSRF.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consolePage, formInit, signInToConsole, submit, view, type ConsoleSession } from "../helpers/console";
import { createTestTenant, oktaUser, operator, scim, type TestTenant } from "../helpers/tenant";
import expiredPem from "../fixtures/certs/expired.pem?raw";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";
import rsaNextPem from "../fixtures/certs/idp-rsa-next.pem?raw";
import weakPem from "../fixtures/certs/weak-rsa1024.pem?raw";

const VALID = { ssoUrl: "https://acme.okta.test/app/gatehouse/exk1/sso/saml", issuer: "http://www.okta.com/exk1console", certificate: rsaPem, allowIdpInitiated: "on", clockSkewSeconds: "180" };

async function connectedTenant(): Promise<{ tenant: TestTenant; session: ConsoleSession; token: string }> {
  const tenant = await createTestTenant("setup", { scimToken: false });
  const session = await signInToConsole(tenant);
  const saved = await submit(tenant, session, "/settings/okta/setup", VALID);
  expect(saved.status).toBe(303);
  const shown = await view(tenant, session, saved.headers.get("location")!);
  return { tenant, session, token: /id="scim-token">(gh_scim_[^<]+)</.exec(shown.html)![1]! };
}

async function savedSettings(tenant: TestTenant) {
  return operator("GET", `/tenants/${tenant.slug}/saml`);
}

async function auditActions(tenant: TestTenant): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT action FROM audit_log WHERE tenant_id = ? ORDER BY at, rowid").bind(tenant.id).all<{ action: string }>();
  return rows.results.map((row) => row.action);
}

describe("set-up page", () => {
  it("shows exactly what to paste into Okta, each value with a copy button", async () => {
    const tenant = await createTestTenant("values", { scimToken: false });
    const session = await signInToConsole(tenant);
    const { status, html } = await view(tenant, session, "/settings/okta/setup");
    expect(status).toBe(200);
    expect(html).toContain(`<code id="value-acs-url">${tenant.origin}/okta/auth</code>`);
    expect(html).toContain(`<code id="value-audience">${tenant.origin}</code>`);
    expect(html).toContain(`<code id="value-scim-base-url">${tenant.origin}/okta/scim/v2</code>`);
    expect(html).toContain(`<code id="value-name-id-format">EmailAddress</code>`);
    expect(html).toContain(`<code id="value-auth-mode">HTTP Header</code>`);
    expect(html).toContain('data-copy="#value-acs-url"');
    expect(html).toMatch(/<script src="\/settings\/okta\/assets\/console.js" defer/);
    const script = await consolePage(tenant, "/settings/okta/assets/console.js");
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("navigator.clipboard");
  });

  it.each([
    ["an http SSO URL", { ssoUrl: "http://acme.okta.test/sso" }, "ssoUrl", "must start with https://"],
    ["an SSO URL that is not a URL", { ssoUrl: "acme okta" }, "ssoUrl", "not a URL"],
    ["an empty issuer", { issuer: " " }, "issuer", "Paste the IdP issuer"],
    ["garbage for a certificate", { certificate: "hello" }, "certificate", "not a PEM or base64 X.509 certificate"],
    ["an expired certificate", { certificate: expiredPem }, "certificate", "expired on 2020-12-31"],
    ["an RSA-1024 certificate", { certificate: weakPem }, "certificate", "too weak"],
    ["no certificate on first set-up", { certificate: "" }, "certificate", "X.509 signing certificate"],
    ["a clock skew of an hour", { clockSkewSeconds: "3600" }, "clockSkewSeconds", "0 to 900"],
    ["a clock skew that is not a number", { clockSkewSeconds: "soon" }, "clockSkewSeconds", "0 to 900"],
    ["metadata that is not XML", { ssoUrl: "", issuer: "", certificate: "", metadataXml: "<EntityDescriptor" }, "metadataXml", ""],
  ])("refuses %s beside its field and saves nothing", async (_, change, field, message) => {
    const tenant = await createTestTenant("bad", { scimToken: false });
    const session = await signInToConsole(tenant);
    const response = await submit(tenant, session, "/settings/okta/setup", { ...VALID, ...change });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(`id="${field}-error"`);
    expect(html).toContain(`aria-describedby="${field === "metadataXml" ? "metadataXml-help " : field === "certificate" ? "certificate-help " : ""}${field}-error"`);
    expect(html).toMatch(new RegExp(`id="${field}-error"[^>]*>[^<]*${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(html).toContain("Nothing was saved");
    // What the admin typed comes back, so only the wrong field needs fixing.
    if (!("ssoUrl" in change)) expect(html).toContain(`value="${VALID.ssoUrl}"`);
    expect((await savedSettings(tenant)).status).toBe(404);
    expect(await scimTokenCount(tenant)).toBe(0);
  });

  it("shows the facts of a good certificate even when another field is wrong", async () => {
    const tenant = await createTestTenant("facts", { scimToken: false });
    const session = await signInToConsole(tenant);
    const response = await submit(tenant, session, "/settings/okta/setup", { ...VALID, ssoUrl: "ftp://x" });
    const html = await response.text();
    expect(html).toContain('id="certificate-preview"');
    expect(html).toContain("RSA 2048");
    expect(html).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(html).toContain("CN=gatehouse-test");
  });

  it("saves Okta's values, then shows the SCIM token once", async () => {
    const tenant = await createTestTenant("once", { scimToken: false });
    const session = await signInToConsole(tenant);
    const saved = await submit(tenant, session, "/settings/okta/setup", VALID);
    expect(saved.status).toBe(303);
    const location = saved.headers.get("location")!;
    expect(location).toMatch(/^\/settings\/okta\/setup\/token\?reveal=/);

    const shown = await view(tenant, session, location);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("shown once");
    expect(shown.response.headers.get("cache-control")).toBe("no-store");
    const token = /id="scim-token">(gh_scim_[^<]+)</.exec(shown.html)![1]!;
    expect((await scim({ ...tenant, token }, "POST", "/Users", oktaUser("first@acme.test"))).status).toBe(201);

    // A reload, another tab, or a copied URL: never again.
    const again = await view(tenant, session, location);
    expect(again.status).toBe(410);
    expect(again.html).not.toContain("gh_scim_");
    expect(again.html).toContain("already shown");
    // Another admin session cannot take a reveal meant for this one.
    const other = await signInToConsole(tenant);
    const rotated = await submit(tenant, session, "/settings/okta/tokens/rotate", { retire: "24h" });
    expect((await view(tenant, other, rotated.headers.get("location")!)).html).not.toContain("gh_scim_");

    const settings = await savedSettings(tenant);
    expect(settings.body).toMatchObject({ ssoUrl: VALID.ssoUrl, issuer: VALID.issuer, allowIdpInitiated: true, jitProvisioning: false, clockSkewSeconds: 180 });
    expect(await auditActions(tenant)).toEqual(expect.arrayContaining(["idp_connection.saved", "scim_token.issued"]));
  });

  it("saving again keeps the token and the certificate when the field is left empty", async () => {
    const { tenant, session, token } = await connectedTenant();
    const saved = await submit(tenant, session, "/settings/okta/setup", { ...VALID, certificate: "", issuer: "http://www.okta.com/exk1renamed", jitProvisioning: "on" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/settings/okta/setup?saved=connection");
    expect(await scimTokenCount(tenant)).toBe(1);
    expect((await scim({ ...tenant, token }, "GET", "/Users", undefined)).status).toBe(200);
    const settings = (await savedSettings(tenant)).body;
    expect(settings).toMatchObject({ issuer: "http://www.okta.com/exk1renamed", jitProvisioning: true });
    expect(settings.certificates).toHaveLength(1);
    expect((await view(tenant, session, "/settings/okta/setup?saved=connection")).html).toContain("Saved.");
  });

  it("takes the IdP metadata instead of the three values", async () => {
    const tenant = await createTestTenant("meta", { scimToken: false });
    const session = await signInToConsole(tenant);
    const der = rsaPem.replace(/-----[A-Z ]+-----|\s/g, "");
    const metadataXml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exkMETA"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://acme.okta.test/app/meta/sso/saml"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    const saved = await submit(tenant, session, "/settings/okta/setup", { ssoUrl: "", issuer: "", certificate: "", metadataXml, clockSkewSeconds: "180" });
    expect(saved.status).toBe(303);
    expect((await savedSettings(tenant)).body).toMatchObject({ issuer: "http://www.okta.com/exkMETA", ssoUrl: "https://acme.okta.test/app/meta/sso/saml" });
  });
});

async function scimTokenCount(tenant: TestTenant): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM scim_tokens WHERE tenant_id = ?").bind(tenant.id).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("token rotation", () => {
  it("'now' stops the old token at once; the new one works", async () => {
    const { tenant, session, token } = await connectedTenant();
    const rotated = await submit(tenant, session, "/settings/okta/tokens/rotate", { retire: "now" });
    expect(rotated.status).toBe(303);
    const fresh = /id="scim-token">(gh_scim_[^<]+)</.exec((await view(tenant, session, rotated.headers.get("location")!)).html)![1]!;
    expect(fresh).not.toBe(token);
    expect((await scim({ ...tenant, token }, "GET", "/Users", undefined)).status).toBe(401);
    expect((await scim({ ...tenant, token: fresh }, "GET", "/Users", undefined)).status).toBe(200);
  });

  it("'24h' keeps the old token working for a day", async () => {
    const { tenant, session, token } = await connectedTenant();
    const rotated = await submit(tenant, session, "/settings/okta/tokens/rotate", { retire: "24h" });
    expect(rotated.status).toBe(303);
    expect((await scim({ ...tenant, token }, "GET", "/Users", undefined)).status).toBe(200);
    const row = await env.DB.prepare("SELECT expires_at AS expiresAt FROM scim_tokens WHERE tenant_id = ? AND expires_at IS NOT NULL").bind(tenant.id).first<{ expiresAt: number }>();
    expect(row!.expiresAt - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
    expect((await view(tenant, session, "/settings/okta/setup")).html).toContain("stops at");
  });

  it("an unknown choice rotates nothing", async () => {
    const { tenant, session } = await connectedTenant();
    const response = await submit(tenant, session, "/settings/okta/tokens/rotate", { retire: "tomorrow" });
    expect(response.status).toBe(400);
    expect(await scimTokenCount(tenant)).toBe(1);
  });
});

describe("certificates", () => {
  it("a second certificate lives beside the first, and either can then be removed", async () => {
    const { tenant, session } = await connectedTenant();
    const added = await submit(tenant, session, "/settings/okta/certificates", { certificate: rsaNextPem });
    expect(added.status).toBe(303);
    const certificates = (await savedSettings(tenant)).body.certificates as { fingerprintSha256: string }[];
    expect(certificates).toHaveLength(2);

    const page = (await view(tenant, session, "/settings/okta/setup")).html;
    expect(page).toContain("Certificate 2");
    expect(page).not.toContain('id="new-certificate"'); // two is the limit: the add form is gone
    const third = await submit(tenant, session, "/settings/okta/certificates", { certificate: rsaPem });
    expect(third.status).toBe(400);
    expect(await third.text()).toContain('id="new-certificate-error"');

    const removed = await submit(tenant, session, "/settings/okta/certificates/remove", { fingerprint: certificates[0]!.fingerprintSha256 });
    expect(removed.status).toBe(303);
    const left = (await savedSettings(tenant)).body.certificates as { fingerprintSha256: string }[];
    expect(left.map((c) => c.fingerprintSha256)).toEqual([certificates[1]!.fingerprintSha256]);
    // The last one stays: there must always be a key to verify sign-ins with.
    const last = await submit(tenant, session, "/settings/okta/certificates/remove", { fingerprint: left[0]!.fingerprintSha256 });
    expect(last.status).toBe(400);
    expect((await savedSettings(tenant)).body.certificates).toHaveLength(1);
  });

  it.each([
    ["the same certificate again", rsaPem, "already configured"],
    ["an expired one", expiredPem, "expired"],
    ["garbage", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "could not be parsed"],
    ["nothing", "  ", "Paste the new certificate"],
  ])("refuses %s beside the field", async (_, certificate, message) => {
    const { tenant, session } = await connectedTenant();
    const response = await submit(tenant, session, "/settings/okta/certificates", { certificate });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(new RegExp(`id="new-certificate-error"[^>]*>[^<]*${message}`));
    expect((await savedSettings(tenant)).body.certificates).toHaveLength(1);
  });

  it("adding a certificate before set-up is refused", async () => {
    const tenant = await createTestTenant("nocert", { scimToken: false });
    const session = await signInToConsole(tenant);
    expect((await submit(tenant, session, "/settings/okta/certificates", { certificate: rsaPem })).status).toBe(409);
  });
});

describe("console access settings", () => {
  it("saves admin roles and groups, and refuses oversize lists beside the field", async () => {
    const tenant = await createTestTenant("access", { scimToken: false });
    const session = await signInToConsole(tenant);
    const saved = await submit(tenant, session, "/settings/okta/access", { adminRoles: "admin\nowner, admin", adminGroups: "IT Admins" });
    expect(saved.status).toBe(303);
    const row = await env.DB.prepare("SELECT admin_access AS access FROM tenants WHERE id = ?").bind(tenant.id).first<{ access: string }>();
    expect(JSON.parse(row!.access)).toEqual({ roles: ["admin", "owner"], groups: ["IT Admins"] });

    const tooMany = await submit(tenant, session, "/settings/okta/access", { adminRoles: Array.from({ length: 21 }, (_, i) => `r${i}`).join("\n"), adminGroups: "x".repeat(300) });
    expect(tooMany.status).toBe(400);
    const html = await tooMany.text();
    expect(html).toContain('id="adminRoles-error"');
    expect(html).toContain('id="adminGroups-error"');
    const unchanged = await env.DB.prepare("SELECT admin_access AS access FROM tenants WHERE id = ?").bind(tenant.id).first<{ access: string }>();
    expect(JSON.parse(unchanged!.access)).toEqual({ roles: ["admin", "owner"], groups: ["IT Admins"] });
  });
});

describe("forms are CSRF-protected", () => {
  it.each([
    ["no CSRF token", (t: TestTenant, s: ConsoleSession) => formInit(t, VALID, s.cookie)],
    ["a wrong CSRF token", (t: TestTenant, s: ConsoleSession) => formInit(t, { ...VALID, csrf: "forged" }, s.cookie)],
    ["another origin", (t: TestTenant, s: ConsoleSession) => ({ ...formInit(t, { ...VALID, csrf: s.csrf }, s.cookie), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.test", Cookie: s.cookie } })],
  ])("%s: 403 and nothing saved", async (_, init) => {
    const tenant = await createTestTenant("csrf", { scimToken: false });
    const session = await signInToConsole(tenant);
    const response = await consolePage(tenant, "/settings/okta/setup", init(tenant, session));
    expect(response.status).toBe(403);
    expect((await savedSettings(tenant)).status).toBe(404);
    for (const path of ["/settings/okta/tokens/rotate", "/settings/okta/remove", "/settings/okta/access"]) {
      expect((await consolePage(tenant, path, init(tenant, session))).status).toBe(403);
    }
    expect(await scimTokenCount(tenant)).toBe(0);
  });

  it("every set-up route is closed without a console session", async () => {
    const tenant = await createTestTenant("closed", { scimToken: false });
    for (const path of ["/settings/okta/setup", "/settings/okta/setup/token?reveal=x", "/settings/okta/remove", "/settings/okta/test-sign-in/result?since=1"]) {
      expect((await consolePage(tenant, path)).status).toBe(403);
    }
    expect((await consolePage(tenant, "/settings/okta/setup", formInit(tenant, VALID))).status).toBe(403);
  });
});

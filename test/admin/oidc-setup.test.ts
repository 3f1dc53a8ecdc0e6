/**
 * The console's OIDC set-up (issue 6 §1) through the real worker and the real test provider's discovery: a valid
 * save is stored and shown, a bad field or a failing discovery is refused beside its field with nothing saved, the
 * client secret never comes back into a page, and switching protocol needs an explicit confirmation.
 */
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import "../provided-context";
import { SELF } from "cloudflare:test";
import { signInToConsole, submit, view, type ConsoleSession } from "../helpers/console";
import { authorizeAs, oidcTenant, setProviderAccount } from "../helpers/oidc";
import { createTestTenant, oktaUser, operator, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

const SECRET = "console-s3cret-never-shown";
const SAML = { ssoUrl: "https://acme.okta.test/app/gatehouse/exk1/sso/saml", issuer: "http://www.okta.com/exk1oidcswitch", certificate: rsaPem, clockSkewSeconds: "180" };

function validOidc(): Record<string, string> {
  return { issuer: inject("oidcIssuer"), clientId: "console-client", clientSecret: SECRET, groupsClaim: "groups", groupsSource: "scim", jitProvisioning: "on" };
}

async function signedIn(scimToken = true): Promise<{ tenant: TestTenant; session: ConsoleSession }> {
  const tenant = await createTestTenant("oidc-setup", { scimToken });
  return { tenant, session: await signInToConsole(tenant) };
}

describe("OIDC set-up in the console", () => {
  it("offers the protocol choice and the values for an Okta OIDC app", async () => {
    const { tenant, session } = await signedIn();
    const saml = await view(tenant, session, "/settings/okta/setup");
    expect(saml.html).toContain('href="/settings/okta/setup?protocol=oidc"');
    const { status, html } = await view(tenant, session, "/settings/okta/setup?protocol=oidc");
    expect(status).toBe(200);
    expect(html).toContain('action="/settings/okta/setup/oidc"');
    expect(html).toContain(`<code id="value-oidc-redirect-uri">${tenant.origin}/oidc/callback</code>`);
    expect(html).toContain(`<code id="value-oidc-initiate-login-uri">${tenant.origin}/login</code>`);
    expect(html).not.toContain("replace-warning");
  });

  it("saves a valid connection, hands out the SCIM token once, and shows it on the overview without the secret", async () => {
    const { tenant, session } = await signedIn(false);
    const saved = await submit(tenant, session, "/settings/okta/setup/oidc", validOidc());
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toMatch(/^\/settings\/okta\/setup\/token\?reveal=/);
    const token = await view(tenant, session, saved.headers.get("location")!);
    expect(token.html).toMatch(/id="scim-token">gh_scim_/);

    const stored = await operator("GET", `/tenants/${tenant.slug}/oidc`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ issuer: inject("oidcIssuer"), clientId: "console-client", clientType: "confidential", groupsSource: "scim", jitProvisioning: true });

    const overview = await view(tenant, session, "/settings/okta");
    expect(overview.html).toContain('id="oidc-connection"');
    expect(overview.html).toContain("console-client");
    expect(overview.html).toContain("confidential");
    expect(overview.html).not.toContain("Not connected");
    expect(overview.html).not.toContain(SECRET);

    // The set-up page opens on the OIDC tab, says a secret is stored, and never renders it.
    const setup = await view(tenant, session, "/settings/okta/setup");
    expect(setup.html).toContain('action="/settings/okta/setup/oidc"');
    expect(setup.html).toContain("Leave empty to keep it");
    expect(setup.html).not.toContain(SECRET);

    // An empty secret keeps the stored one.
    const again = await submit(tenant, session, "/settings/okta/setup/oidc", { ...validOidc(), clientSecret: "", groupsSource: "claim" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/settings/okta/setup?saved=connection");
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).body).toMatchObject({ clientType: "confidential", groupsSource: "claim" });
  });

  it.each([
    ["an http issuer that is not loopback", { issuer: "http://acme.okta.test" }, "oidc-issuer", "https://"],
    ["an issuer whose discovery fails", { issuer: `${inject("oidcIssuer")}/not-an-issuer` }, "oidc-issuer", "answered"],
    ["an empty client ID", { clientId: " " }, "oidc-client-id", "client ID"],
  ])("refuses %s beside its field and saves nothing", async (_, change, field, message) => {
    const { tenant, session } = await signedIn(false);
    const response = await submit(tenant, session, "/settings/okta/setup/oidc", { ...validOidc(), ...change });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Nothing was saved");
    expect(html).toMatch(new RegExp(`id="${field}-error"[^>]*>[^<]*${message}`));
    expect(html).toContain(`aria-describedby="${field}-error"`);
    expect(html).not.toContain(SECRET);
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).status).toBe(404);
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).status).toBe(404);
  });

  it("replaces a SAML connection only when the admin confirms it", async () => {
    const { tenant, session } = await signedIn();
    expect((await submit(tenant, session, "/settings/okta/setup", SAML)).status).toBe(303);
    const page = await view(tenant, session, "/settings/okta/setup?protocol=oidc");
    expect(page.html).toContain("This replaces your SAML connection");

    const refused = await submit(tenant, session, "/settings/okta/setup/oidc", validOidc());
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="replace-connection-error"');
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).status).toBe(200);
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).status).toBe(404);

    const replaced = await submit(tenant, session, "/settings/okta/setup/oidc", { ...validOidc(), replaceConnection: "on" });
    expect(replaced.status).toBe(303);
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).status).toBe(200);
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).status).toBe(404);
  });

  it("replaces an OIDC connection with SAML only when the admin confirms it", async () => {
    const { tenant, session } = await signedIn();
    expect((await submit(tenant, session, "/settings/okta/setup/oidc", validOidc())).status).toBe(303);
    const page = await view(tenant, session, "/settings/okta/setup?protocol=saml");
    expect(page.html).toContain("This replaces your OIDC connection");

    const refused = await submit(tenant, session, "/settings/okta/setup", SAML);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('id="replace-connection-error"');
    expect(html).toContain('action="/settings/okta/setup"');
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).status).toBe(200);

    const replaced = await submit(tenant, session, "/settings/okta/setup", { ...SAML, replaceConnection: "on" });
    expect(replaced.status).toBe(303);
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).status).toBe(200);
    expect((await operator("GET", `/tenants/${tenant.slug}/oidc`)).status).toBe(404);
  });

  it("tests an OIDC sign-in from the set-up page and shows the attempt on the result page", async () => {
    const tenant = await oidcTenant();
    expect((await scim(tenant, "POST", "/Users", oktaUser("tess@oidc.test"))).status).toBe(201);
    await setProviderAccount("tess@oidc.test", {});
    const session = await signInToConsole(tenant);
    expect((await view(tenant, session, "/settings/okta/setup")).html).toContain('action="/settings/okta/test-sign-in"');
    const started = await submit(tenant, session, "/settings/okta/test-sign-in", {});
    expect(started.status).toBe(303);
    const authorize = started.headers.get("location")!;
    expect(authorize.startsWith(inject("oidcIssuer"))).toBe(true);
    const callback = await authorizeAs(authorize, "tess@oidc.test");
    const finished = await SELF.fetch(callback.href, { redirect: "manual" });
    expect(finished.status).toBe(303);
    const result = finished.headers.get("location")!;
    expect(result).toMatch(/^\/settings\/okta\/test-sign-in\/result\?since=\d+$/);
    expect((await view(tenant, session, result)).html).toContain("tess@oidc.test");
  });

  it("a failed OIDC test sign-in comes back to the result page too, in plain words", async () => {
    const tenant = await oidcTenant();
    await setProviderAccount("stranger@oidc.test", {});
    const session = await signInToConsole(tenant);
    const started = await submit(tenant, session, "/settings/okta/test-sign-in", {});
    const callback = await authorizeAs(started.headers.get("location")!, "stranger@oidc.test");
    const finished = await SELF.fetch(callback.href, { redirect: "manual" });
    expect(finished.status).toBe(303);
    expect(finished.headers.get("set-cookie")).toBeNull();
    const result = finished.headers.get("location")!;
    expect(result).toMatch(/^\/settings\/okta\/test-sign-in\/result\?since=\d+$/);
    const html = (await view(tenant, session, result)).html;
    expect(html).toMatch(/id="test-result"[\s\S]*Failed/);
    expect(html).toContain("<code>unknown_user</code>");
  });
});

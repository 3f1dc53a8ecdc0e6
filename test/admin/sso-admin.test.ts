/**
 * Getting into the console through SSO: a user with an admin role (SAML role attribute or SCIM roles) or in a
 * group the tenant maps to admin gets in; everyone else gets 403; losing the role or the account closes it.
 */
import { describe, expect, it } from "vitest";
import { consolePage, signInToConsole, submit } from "../helpers/console";
import { cookieOf, samlSignIn } from "../helpers/saml";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

async function ssoTenant(): Promise<TestTenant> {
  const tenant = await createTestTenant("sso-admin");
  await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.test/sso", issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem] });
  return tenant;
}

async function userSession(tenant: TestTenant, userName: string, attributes: Record<string, string[]> = {}): Promise<string> {
  const response = await samlSignIn(tenant, userName, { attributes: { email: [userName], ...attributes } });
  expect(response.status).toBe(303);
  return cookieOf(response)!;
}

async function openConsole(tenant: TestTenant, cookies: string) {
  return consolePage(tenant, "/settings/okta", { headers: { Cookie: cookies } });
}

/** The cookies a browser would now send: the user session plus any console cookie just set. */
function withConsoleCookie(userCookie: string, response: Response): string {
  const set = cookieOf(response);
  return set ? `${userCookie}; ${set}` : userCookie;
}

describe("console access through SSO", () => {
  it("a SCIM admin role opens the console; the role's removal closes it at the next request", async () => {
    const tenant = await ssoTenant();
    const user = (await scim(tenant, "POST", "/Users", oktaUser("it@acme.test", { roles: [{ value: "admin" }] }))).body as { id: string };
    const cookie = await userSession(tenant, "it@acme.test");
    const first = await openConsole(tenant, cookie);
    expect(first.status).toBe(200);
    expect(first.headers.get("set-cookie")).toMatch(/^gh_admin=gh_adm_/);
    const both = withConsoleCookie(cookie, first);
    expect((await openConsole(tenant, both)).status).toBe(200);

    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "roles", value: [] }));
    expect((await openConsole(tenant, both)).status).toBe(403);
  });

  it("a role attribute in the SAML assertion opens the console", async () => {
    const tenant = await ssoTenant();
    await scim(tenant, "POST", "/Users", oktaUser("role@acme.test"));
    const cookie = await userSession(tenant, "role@acme.test", { role: ["Admin"] });
    expect((await openConsole(tenant, cookie)).status).toBe(200);
  });

  it("a group the tenant maps to admin opens the console", async () => {
    const tenant = await ssoTenant();
    const user = (await scim(tenant, "POST", "/Users", oktaUser("grouped@acme.test"))).body as { id: string };
    await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "IT Admins", members: [{ value: user.id }] });
    const cookie = await userSession(tenant, "grouped@acme.test");
    expect((await openConsole(tenant, cookie)).status).toBe(403);

    const admin = await signInToConsole(tenant);
    expect((await submit(tenant, admin, "/settings/okta/access", { adminRoles: "admin", adminGroups: "it admins" })).status).toBe(303);
    expect((await openConsole(tenant, cookie)).status).toBe(200);
  });

  it("everyone else gets 403, and a console cookie alone is not enough once the user is deactivated", async () => {
    const tenant = await ssoTenant();
    const plain = (await scim(tenant, "POST", "/Users", oktaUser("plain@acme.test"))).body as { id: string };
    const plainCookie = await userSession(tenant, "plain@acme.test");
    const refused = await openConsole(tenant, plainCookie);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("set-cookie")).toBeNull();
    expect(plain.id).toMatch(/^usr_/);

    const admin = (await scim(tenant, "POST", "/Users", oktaUser("boss@acme.test", { roles: [{ value: "admin" }] }))).body as { id: string };
    const bossCookie = await userSession(tenant, "boss@acme.test");
    const opened = await openConsole(tenant, bossCookie);
    const consoleCookie = cookieOf(opened)!;
    await scim(tenant, "PATCH", `/Users/${admin.id}`, patchBody({ op: "replace", value: { active: false } }));
    expect((await openConsole(tenant, `${bossCookie}; ${consoleCookie}`)).status).toBe(403);
    // The console cookie of an SSO admin is tied to their SSO session: on its own it opens nothing.
    expect((await openConsole(tenant, consoleCookie)).status).toBe(403);
  });

  it("a session of another tenant's admin opens nothing here", async () => {
    const home = await ssoTenant();
    await scim(home, "POST", "/Users", oktaUser("cross@acme.test", { roles: [{ value: "admin" }] }));
    const cookie = await userSession(home, "cross@acme.test");
    const other = await ssoTenant();
    await scim(other, "POST", "/Users", oktaUser("cross@acme.test"));
    expect((await openConsole(other, cookie)).status).toBe(403);
  });
});

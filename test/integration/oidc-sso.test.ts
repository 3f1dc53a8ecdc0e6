/**
 * OIDC sign-in through the real worker against a real OpenID provider (oidc-provider on loopback): PKCE, the
 * session, third-party-initiated login, groups synced at each sign-in — and, with a hostile provider, every way
 * an answer is refused (replayed state or nonce, wrong audience, expired token, unknown key), reason recorded.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { authorizeAs, hostileTenant, oidcSignIn, oidcTenant, setProviderAccount, startLogin, type OidcTenant } from "../helpers/oidc";
import { createTestTenant, oktaUser, operator, scim, type TestTenant } from "../helpers/tenant";
import { cookieOf } from "../helpers/saml";

async function provision(tenant: TestTenant, userName: string) {
  const created = await scim(tenant, "POST", "/Users", oktaUser(userName));
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

async function apiSession(tenant: TestTenant, cookie: string | undefined) {
  const response = await SELF.fetch(`${tenant.origin}/api/session`, { headers: cookie ? { Cookie: cookie } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function lastAttempt(tenant: TestTenant) {
  return env.DB.prepare("SELECT protocol, result, reason, detail FROM sign_in_attempts WHERE tenant_id = ? ORDER BY at DESC, rowid DESC LIMIT 1").bind(tenant.id).first<{ protocol: string; result: string; reason: string | null; detail: string }>();
}

async function groupNamesOf(tenant: TestTenant, userId: string): Promise<string[]> {
  const user = await scim(tenant, "GET", `/Users/${userId}`);
  return ((user.body.groups ?? []) as { display: string }[]).map((group) => group.display).sort();
}

/** Starts a sign-in at the hostile provider's tenant: its state and nonce, read off the authorize redirect. */
async function hostileStart(tenant: OidcTenant): Promise<{ state: string; nonce: string }> {
  const login = await startLogin(tenant);
  expect(login.status).toBe(302);
  const url = new URL(login.headers.get("location")!);
  return { state: url.searchParams.get("state")!, nonce: url.searchParams.get("nonce")! };
}

async function hostileCallback(tenant: OidcTenant, state: string, scenario: Record<string, unknown>): Promise<Response> {
  const code = `code-${crypto.randomUUID()}`;
  const set = await fetch(`${tenant.issuer}/_test/codes/${code}`, { method: "PUT", body: JSON.stringify(scenario) });
  expect(set.status).toBe(204);
  return SELF.fetch(`${tenant.origin}/oidc/callback?code=${code}&state=${encodeURIComponent(state)}`, { redirect: "manual" });
}

describe("the OIDC connection (operator API)", () => {
  it("saves a connection whose discovery answers, without ever showing the client secret", async () => {
    const tenant = await oidcTenant({ confidential: true });
    const shown = await operator("GET", `/tenants/${tenant.slug}/oidc`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ issuer: tenant.issuer, clientId: tenant.clientId, clientType: "confidential", scopes: ["openid", "email", "profile", "groups"], groupsClaim: "groups", groupsSource: "claim" });
    expect(JSON.stringify(shown.body)).not.toMatch(/secret"/i);
    expect(shown.body.tokenEndpoint).toBe(`${tenant.issuer}/token`);
  });

  it("refuses an http issuer that is not loopback, a discovery naming another issuer, and bad fields", async () => {
    const tenant = await createTestTenant("oidc-bad", { scimToken: false });
    const http = await operator("PUT", `/tenants/${tenant.slug}/oidc`, { issuer: "http://acme.okta.test", clientId: "x" });
    expect(http.status).toBe(400);
    expect(http.body.fields.issuer).toMatch(/https/);
    // The provider's discovery names the issuer without the trailing slash: not the same issuer.
    const mismatch = await operator("PUT", `/tenants/${tenant.slug}/oidc`, { issuer: `${(await oidcTenant()).issuer}/`, clientId: "x" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe("oidc_discovery_failed");
    const fields = await operator("PUT", `/tenants/${tenant.slug}/oidc`, { issuer: "https://acme.okta.test", clientId: "", scopes: ["email"], groupsSource: "both" });
    expect(fields.status).toBe(400);
    expect(Object.keys(fields.body.fields).sort()).toEqual(["clientId", "options", "scopes"]);
  });
});

describe("sign-in with the real provider", () => {
  it("redirects to the authorize endpoint with state, nonce and PKCE S256, then signs in with a session", async () => {
    const tenant = await oidcTenant();
    const user = await provision(tenant, "ada@oidc.test");
    await setProviderAccount("ada@oidc.test", { groups: ["Engineering"], givenName: "Ada", familyName: "Lovelace" });
    const login = await startLogin(tenant, "?return_to=/projects/7");
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get("location")!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${tenant.issuer}/auth`);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${tenant.origin}/oidc/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("nonce")).toMatch(/^[\w-]{43}$/);

    const callback = await authorizeAs(authorize.href, "ada@oidc.test");
    const response = await SELF.fetch(callback.href, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/projects/7");
    const cookie = cookieOf(response);
    const session = await apiSession(tenant, cookie);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ sub: user.id, email: "ada@oidc.test", given_name: "Ada", groups: ["Engineering"], amr: ["oidc"] });
    expect(await lastAttempt(tenant)).toMatchObject({ protocol: "oidc", result: "success" });

    // The same callback URL a second time: its state is used up.
    const replay = await SELF.fetch(callback.href, { redirect: "manual" });
    expect(replay.status).toBe(400);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await replay.text()).toContain("state_reused");
    expect(await lastAttempt(tenant)).toMatchObject({ protocol: "oidc", result: "failure", reason: "state_reused" });
  });

  it("signs in a confidential client (client_secret_basic and PKCE)", async () => {
    const tenant = await oidcTenant({ confidential: true });
    await provision(tenant, "grace@oidc.test");
    await setProviderAccount("grace@oidc.test", {});
    const response = await oidcSignIn(tenant, "grace@oidc.test");
    expect(response.status).toBe(303);
    expect(cookieOf(response)).toMatch(/^gh_session=ey/);
  });

  it("adds and removes groups between two sign-ins, creating missing groups by name", async () => {
    const tenant = await oidcTenant();
    const user = await provision(tenant, "linus@oidc.test");
    await setProviderAccount("linus@oidc.test", { groups: ["Kernel", "Everyone"] });
    expect((await oidcSignIn(tenant, "linus@oidc.test")).status).toBe(303);
    expect(await groupNamesOf(tenant, user.id)).toEqual(["Everyone", "Kernel"]);

    await setProviderAccount("linus@oidc.test", { groups: ["Everyone", "Git"] });
    const second = await oidcSignIn(tenant, "linus@oidc.test");
    expect(second.status).toBe(303);
    expect(await groupNamesOf(tenant, user.id)).toEqual(["Everyone", "Git"]);
    expect(JSON.parse((await lastAttempt(tenant))!.detail)).toMatchObject({ groupsAdded: ["Git"], groupsRemoved: ["Kernel"], groupsCreated: ["Git"] });
    expect((await apiSession(tenant, cookieOf(second))).body.user.groups.sort()).toEqual(["Everyone", "Git"]);
    const audits = await env.DB.prepare("SELECT action FROM audit_log WHERE tenant_id = ? AND actor = 'oidc' ORDER BY at").bind(tenant.id).all<{ action: string }>();
    expect(audits.results.map((row) => row.action)).toEqual(expect.arrayContaining(["group.created", "group.members_added", "group.members_removed"]));
  });

  it("ignores the claim when SCIM is the source of groups, and records that", async () => {
    const tenant = await oidcTenant({ settings: { groupsSource: "scim" } });
    const user = await provision(tenant, "barbara@oidc.test");
    await setProviderAccount("barbara@oidc.test", { groups: ["Claimed"] });
    expect((await oidcSignIn(tenant, "barbara@oidc.test")).status).toBe(303);
    expect(await groupNamesOf(tenant, user.id)).toEqual([]);
    expect(JSON.parse((await lastAttempt(tenant))!.detail)).toMatchObject({ groupsSource: "scim", groupsClaimIgnored: true });
  });

  it("starts third-party-initiated login for the configured issuer only (OIDC Core §4)", async () => {
    const tenant = await oidcTenant();
    const own = await startLogin(tenant, `?iss=${encodeURIComponent(tenant.issuer)}&target_link_uri=${encodeURIComponent(`${tenant.origin}/home`)}`);
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toContain(`${tenant.issuer}/auth?`);
    const foreign = await startLogin(tenant, `?iss=${encodeURIComponent("https://evil.test")}`);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain("login_issuer_mismatch");
    expect(await lastAttempt(tenant)).toMatchObject({ result: "failure", reason: "login_issuer_mismatch" });
  });

  it("refuses a user the tenant does not have (403) and records the reason", async () => {
    const tenant = await oidcTenant();
    await setProviderAccount("nobody@oidc.test", {});
    const response = await oidcSignIn(tenant, "nobody@oidc.test");
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await lastAttempt(tenant)).toMatchObject({ result: "failure", reason: "unknown_user" });
  });
});

describe("answers a careful client refuses (hostile provider)", () => {
  async function refused(scenario: (start: { state: string; nonce: string }) => Record<string, unknown>, reason: string, tenantSetup?: (tenant: OidcTenant) => Promise<{ state: string; nonce: string }>) {
    const tenant = await hostileTenant();
    await provision(tenant, "mallory@oidc.test");
    const start = tenantSetup ? await tenantSetup(tenant) : await hostileStart(tenant);
    const response = await hostileCallback(tenant, start.state, { email: "mallory@oidc.test", ...scenario(start) });
    expect(response.status).toBe(400);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain(reason);
    expect(await lastAttempt(tenant)).toMatchObject({ protocol: "oidc", result: "failure", reason });
  }

  it("signs in with a good token (the control case)", async () => {
    const tenant = await hostileTenant();
    await provision(tenant, "mallory@oidc.test");
    const start = await hostileStart(tenant);
    const response = await hostileCallback(tenant, start.state, { email: "mallory@oidc.test", nonce: start.nonce });
    expect(response.status).toBe(303);
  });

  it("refuses a token for another audience", () => refused(({ nonce }) => ({ nonce, claims: { aud: "another-client" } }), "id_token_audience_mismatch"));

  it("refuses several audiences when azp is not us", () => refused(({ nonce }) => ({ nonce, claims: { aud: ["gatehouse-client", "another-client"], azp: "another-client" } }), "id_token_azp_mismatch"));

  it("refuses an expired token", () => refused(({ nonce }) => ({ nonce, claims: { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 } }), "id_token_expired"));

  it("refuses a token signed by a key the JWKS does not publish", () => refused(({ nonce }) => ({ nonce, key: "unpublished" }), "id_token_unknown_key"));

  it("refuses a token from another issuer", () => refused(({ nonce }) => ({ nonce, claims: { iss: "https://evil.test" } }), "id_token_issuer_mismatch"));

  it("refuses a replayed nonce: a token of one sign-in presented with the state of another", () =>
    refused(
      (start) => ({ nonce: start.nonce }),
      "id_token_nonce_mismatch",
      async (tenant) => {
        const first = await hostileStart(tenant);
        const second = await hostileStart(tenant);
        return { state: second.state, nonce: first.nonce };
      },
    ));

  it("refuses an email the provider says is unverified", () => refused(({ nonce }) => ({ nonce, claims: { email_verified: false } }), "email_unverified"));

  it("picks up a rotated signing key at once: an unknown kid refetches the JWKS once", async () => {
    const tenant = await hostileTenant({}, `/r-${crypto.randomUUID()}`);
    await provision(tenant, "mallory@oidc.test");
    const before = await hostileStart(tenant);
    expect((await hostileCallback(tenant, before.state, { email: "mallory@oidc.test", nonce: before.nonce })).status).toBe(303);
    const rotated = await fetch(`${tenant.issuer}/_test/rotate`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const after = await hostileStart(tenant);
    expect((await hostileCallback(tenant, after.state, { email: "mallory@oidc.test", nonce: after.nonce })).status).toBe(303);
  });

  it("refuses a callback whose state it never issued", async () => {
    const tenant = await hostileTenant();
    const response = await hostileCallback(tenant, "forged-state", { email: "mallory@oidc.test", nonce: "n" });
    expect(response.status).toBe(400);
    expect(await lastAttempt(tenant)).toMatchObject({ reason: "state_unknown" });
  });
});

describe("discovery and the callback's issuer", () => {
  it("refetches a discovery document older than an hour, at the next sign-in", async () => {
    const tenant = await oidcTenant();
    const stale = { tokenEndpoint: "https://stale.test/token", fetchedAt: Date.now() - 2 * 3600 * 1000 };
    await env.DB.prepare("UPDATE idp_connections SET settings = json_set(settings, '$.discovery.tokenEndpoint', ?, '$.discovery.fetchedAt', ?) WHERE tenant_id = ?").bind(stale.tokenEndpoint, stale.fetchedAt, tenant.id).run();
    expect((await startLogin(tenant)).status).toBe(302);
    const shown = await operator("GET", `/tenants/${tenant.slug}/oidc`);
    expect(shown.body.tokenEndpoint).toBe(`${tenant.issuer}/token`);
  });

  it("refuses a callback that names another issuer (RFC 9207 mix-up defence)", async () => {
    const tenant = await hostileTenant();
    const start = await hostileStart(tenant);
    const response = await SELF.fetch(`${tenant.origin}/oidc/callback?code=c&state=${encodeURIComponent(start.state)}&iss=${encodeURIComponent("https://evil.test")}`, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(await lastAttempt(tenant)).toMatchObject({ reason: "callback_issuer_mismatch" });
  });
});

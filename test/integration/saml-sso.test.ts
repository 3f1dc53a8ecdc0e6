/**
 * SAML sign-in through the real worker: IdP-initiated (the Okta app tile) and SP-initiated (/login), sessions the
 * host app can verify, and every way a response is refused — with the reason recorded for the tenant admin.
 */
import { env, SELF } from "cloudflare:test";
import { createLocalJWKSet, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";
import { cookieOf, postToAcs, responseSpec, samlSignIn, signedResponse, toBase64 } from "../helpers/saml";
import type { ResponseSpec, SignRequest } from "../support/saml/types";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

const SSO_URL = "https://acme.okta.test/app/gatehouse/exk1gatehousetest/sso/saml";

async function samlTenant(options: Record<string, unknown> = {}): Promise<TestTenant> {
  const tenant = await createTestTenant("sso");
  const saved = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: SSO_URL, issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem], ...options });
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  return tenant;
}

async function provision(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}) {
  return (await scim(tenant, "POST", "/Users", oktaUser(userName, extra))).body as { id: string };
}

async function apiSession(tenant: TestTenant, cookie: string | undefined) {
  const response = await SELF.fetch(`${tenant.origin}/api/session`, { headers: cookie ? { Cookie: cookie } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function lastAttempt(tenant: TestTenant) {
  return env.DB.prepare("SELECT result, reason, detail, name_id AS nameId FROM sign_in_attempts WHERE tenant_id = ? ORDER BY at DESC, rowid DESC LIMIT 1").bind(tenant.id).first<{ result: string; reason: string | null; detail: string; nameId: string | null }>();
}

async function inflate(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
}

describe("IdP-initiated sign-in (the app tile in Okta)", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await samlTenant();
    await provision(tenant, "ada@acme.test", { roles: [{ value: "admin" }] });
  });

  it("signs in with a 303 to the RelayState path and a session the host app can verify", async () => {
    const response = await samlSignIn(tenant, "ADA@acme.test", {}, {}, "/projects/42?tab=1");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/projects/42?tab=1");
    const cookie = cookieOf(response)!;
    expect(cookie).toMatch(/^gh_session=ey/);
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(response.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);

    const session = await apiSession(tenant, cookie);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ tenant: tenant.slug, email: "ADA@acme.test", given_name: "Ada", family_name: "Lovelace", groups: ["Engineering", "Everyone"], roles: ["admin"], amr: ["saml"] });

    const jwks = (await (await SELF.fetch(`${tenant.origin}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const { payload, protectedHeader } = await jwtVerify(cookie.split("=")[1]!, createLocalJWKSet(jwks as never), { issuer: tenant.origin, audience: tenant.origin });
    expect(protectedHeader.alg).toBe("ES256");
    expect(payload.sub).toBe(session.body.user.sub);

    const logged = await lastAttempt(tenant);
    expect(logged).toMatchObject({ result: "success", reason: null });
  });

  it.each(["https://evil.test/steal", "//evil.test/x", "/\\evil.test", "javascript:alert(1)", "relative/path"])("ignores RelayState %j and lands on /", async (relayState) => {
    const response = await samlSignIn(tenant, "ada@acme.test", {}, {}, relayState);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
  });

  it("a replayed response is refused the second time", async () => {
    const xml = await signedResponse({ spec: responseSpec(tenant.origin, "ada@acme.test") });
    expect((await postToAcs(tenant, toBase64(xml))).status).toBe(303);
    const replay = await postToAcs(tenant, toBase64(xml));
    expect(replay.status).toBe(400);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await replay.text()).toContain("assertion_replayed");
    expect((await lastAttempt(tenant))?.reason).toBe("assertion_replayed");
  });

  it("two copies posted at the same moment give one session", async () => {
    const xml = toBase64(await signedResponse({ spec: responseSpec(tenant.origin, "ada@acme.test") }));
    const replies = await Promise.all(Array.from({ length: 5 }, () => postToAcs(tenant, xml)));
    expect(replies.map((r) => r.status).sort()).toEqual([303, 400, 400, 400, 400]);
  });

  it.each([
    ["wrong audience", { audience: "https://someone-else.test" }, "audience_mismatch", { expected: "ORIGIN", got: ["https://someone-else.test"] }],
    ["wrong recipient", { acsUrl: "https://evil.test/acs", destination: "ACS" }, "recipient_mismatch", {}],
    ["expired", { notBefore: new Date(Date.now() - 3600_000).toISOString(), notOnOrAfter: new Date(Date.now() - 1800_000).toISOString() }, "assertion_expired", { edgeTime: expect.any(String) }],
  ] as [string, Partial<ResponseSpec>, string, Record<string, unknown>][])("%s: 400 page with the code, no cookie, precise reason recorded", async (_, overrides, reason, detail) => {
    const fixed = Object.fromEntries(Object.entries(overrides).map(([key, value]) => [key, value === "ACS" ? `${tenant.origin}/okta/auth` : value]));
    const response = await samlSignIn(tenant, "ada@acme.test", fixed);
    expect(response.status).toBe(400);
    expect(response.headers.get("set-cookie")).toBeNull();
    const html = await response.text();
    expect(html).toContain(reason);
    expect(html).toMatch(/req_[A-Za-z0-9_-]{22}/);
    expect(html).not.toContain("someone-else"); // the detail is for the admin, not the page
    const logged = await lastAttempt(tenant);
    expect(logged?.reason).toBe(reason);
    const expectedDetail = Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, value === "ORIGIN" ? tenant.origin : value]));
    expect(JSON.parse(logged!.detail)).toMatchObject(expectedDetail);
  });

  it("a forged signature is refused and the admin sees which certificate signed it", async () => {
    const response = await samlSignIn(tenant, "ada@acme.test", {}, { key: "rsa-next" });
    expect(response.status).toBe(400);
    const logged = await lastAttempt(tenant);
    expect(logged?.reason).toBe("signature_invalid");
    expect(JSON.parse(logged!.detail)).toMatchObject({ signedWith: expect.stringMatching(/^([0-9A-F]{2}:){31}/) });
  });

  it.each([
    ["not base64", "%%%not-base64%%%", "response_not_base64"],
    ["empty", "", "missing_saml_response"],
    ["too large", "A".repeat(600 * 1024), "response_too_large"],
    ["not XML", toBase64("hello"), "xml_malformed"],
  ])("a SAMLResponse that is %s → %s", async (_, value, reason) => {
    const response = await postToAcs(tenant, value);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(reason);
  });

  it("the operator API lists the attempts, failures with their reason and detail", async () => {
    const failures = await operator("GET", `/tenants/${tenant.slug}/sign-ins?result=failure&limit=5`);
    expect(failures.status).toBe(200);
    expect(failures.body.attempts.length).toBeGreaterThan(0);
    expect(failures.body.attempts.every((a: { result: string; reason: string }) => a.result === "failure" && typeof a.reason === "string")).toBe(true);
    const all = await operator("GET", `/tenants/${tenant.slug}/sign-ins?limit=500`);
    expect(all.body.attempts.some((a: { result: string }) => a.result === "success")).toBe(true);
    expect((await operator("GET", `/tenants/${tenant.slug}/sign-ins?limit=0`)).status).toBe(400);
  });

  it("a user the IdP knows but SCIM never provisioned is refused with unknown_user", async () => {
    const response = await samlSignIn(tenant, "stranger@acme.test");
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("unknown_user");
    expect((await lastAttempt(tenant))?.nameId).toBe("stranger@acme.test");
  });
});

describe("SP-initiated sign-in (/login)", () => {
  it("redirects to the IdP with a deflated AuthnRequest whose ID is checked once on the way back", async () => {
    const tenant = await samlTenant();
    await provision(tenant, "grace@acme.test");
    const start = await SELF.fetch(`${tenant.origin}/login?return_to=/reports`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(SSO_URL);
    expect(location.searchParams.get("RelayState")).toBe("/reports");
    const request = await inflate(location.searchParams.get("SAMLRequest")!);
    expect(request).toContain(`AssertionConsumerServiceURL="${tenant.origin}/okta/auth"`);
    expect(request).toContain(`<saml:Issuer>${tenant.origin}</saml:Issuer>`);
    const id = /ID="(_[0-9a-f]{40})"/.exec(request)![1]!;

    const answer = await samlSignIn(tenant, "grace@acme.test", { inResponseTo: id }, {}, "/reports");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/reports");

    const again = await samlSignIn(tenant, "grace@acme.test", { inResponseTo: id });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("in_response_to_reused");
    const unknown = await samlSignIn(tenant, "grace@acme.test", { inResponseTo: "_0000000000000000000000000000000000000000" });
    expect(await unknown.text()).toContain("in_response_to_unknown");
  });

  it("a tenant that turned IdP-initiated sign-in off accepts only answers to its requests", async () => {
    const tenant = await samlTenant({ allowIdpInitiated: false });
    await provision(tenant, "katherine@acme.test");
    const response = await samlSignIn(tenant, "katherine@acme.test");
    expect(await response.text()).toContain("idp_initiated_disabled");
  });

  it("serves SP metadata and refuses /login without a SAML connection", async () => {
    const tenant = await samlTenant();
    const metadata = await SELF.fetch(`${tenant.origin}/okta/metadata`);
    expect(metadata.headers.get("content-type")).toMatch(/^application\/samlmetadata\+xml/);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${tenant.origin}"`);
    expect(xml).toContain(`Location="${tenant.origin}/okta/auth"`);
    expect(xml).toContain("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    const bare = await createTestTenant("nosso");
    const login = await SELF.fetch(`${bare.origin}/login`, { redirect: "manual" });
    expect(login.status).toBe(403);
    expect(await login.text()).toContain("no_saml_connection");
  });
});

describe("sessions end when the directory says so", () => {
  it("deactivating the user over SCIM ends their session at once, and reactivating does not revive it", async () => {
    const tenant = await samlTenant();
    const user = await provision(tenant, "leaving@acme.test");
    const cookie = cookieOf(await samlSignIn(tenant, "leaving@acme.test"));
    expect((await apiSession(tenant, cookie)).status).toBe(200);
    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }));
    expect(await apiSession(tenant, cookie)).toMatchObject({ status: 401, body: { reason: "user_deactivated" } });
    expect(await (await samlSignIn(tenant, "leaving@acme.test")).text()).toContain("user_deactivated");
    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: true } }));
    expect(await apiSession(tenant, cookie)).toMatchObject({ status: 401, body: { reason: "superseded" } });
  });

  it("deleting the user ends the session; logout ends it too", async () => {
    const tenant = await samlTenant();
    const user = await provision(tenant, "gone@acme.test");
    const first = cookieOf(await samlSignIn(tenant, "gone@acme.test"));
    const logout = await SELF.fetch(`${tenant.origin}/logout`, { method: "POST", redirect: "manual", headers: { Cookie: first!, Origin: tenant.origin } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get("set-cookie")).toMatch(/gh_session=;/);
    expect(await apiSession(tenant, first)).toMatchObject({ status: 401, body: { reason: "signed_out" } });
    const second = cookieOf(await samlSignIn(tenant, "gone@acme.test"));
    await scim(tenant, "DELETE", `/Users/${user.id}`);
    expect(await apiSession(tenant, second)).toMatchObject({ status: 401, body: { reason: "user_gone" } });
  });

  it("a session of tenant A is not a session on tenant B", async () => {
    const a = await samlTenant();
    const b = await samlTenant();
    await provision(a, "both@acme.test");
    await provision(b, "both@acme.test");
    const cookie = cookieOf(await samlSignIn(a, "both@acme.test"));
    expect((await apiSession(b, cookie)).status).toBe(401);
    expect((await apiSession(a, undefined)).status).toBe(401);
  });
});

describe("just-in-time provisioning", () => {
  it("creates an unknown user at sign-in when the tenant enables it", async () => {
    const tenant = await samlTenant({ jitProvisioning: true });
    const response = await samlSignIn(tenant, "newcomer@acme.test");
    expect(response.status).toBe(303);
    const found = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent('userName eq "newcomer@acme.test"')}`);
    expect(found.body.totalResults).toBe(1);
    const row = await env.DB.prepare("SELECT source FROM users WHERE tenant_id = ? AND user_name_key = ?").bind(tenant.id, "newcomer@acme.test").first<{ source: string }>();
    expect(row?.source).toBe("jit");
  });
});

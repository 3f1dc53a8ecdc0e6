/** Getting into the admin console: one-time links, sessions, CSRF, security headers. */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, operator, scim, type TestTenant } from "../helpers/tenant";

async function page(tenant: TestTenant, path: string, init: RequestInit = {}) {
  return SELF.fetch(`${tenant.origin}${path}`, { redirect: "manual", ...init });
}

function form(tenant: TestTenant, fields: Record<string, string>, cookie?: string): RequestInit {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Origin: tenant.origin };
  if (cookie) headers.Cookie = cookie;
  return { method: "POST", headers, body: new URLSearchParams(fields).toString() };
}

async function signIn(tenant: TestTenant): Promise<string> {
  const link = await operator("POST", `/tenants/${tenant.slug}/admin-links`);
  const secret = new URL(link.body.url).searchParams.get("link")!;
  const response = await page(tenant, "/settings/okta/sign-in", form(tenant, { link: secret }));
  expect(response.status).toBe(303);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe("admin console access", () => {
  it("a one-time link opens a page that signs in only when its button is pressed, once", async () => {
    const tenant = await createTestTenant("console");
    const link = await operator("POST", `/tenants/${tenant.slug}/admin-links`);
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(new RegExp(`^${tenant.origin}/settings/okta/sign-in\\?link=gh_link_`));
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    // A link preview (GET) does not spend the link.
    const preview = await page(tenant, new URL(link.body.url).pathname + new URL(link.body.url).search);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('action="/settings/okta/sign-in"');
    const secret = new URL(link.body.url).searchParams.get("link")!;

    const first = await page(tenant, "/settings/okta/sign-in", form(tenant, { link: secret }));
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/settings/okta");
    const setCookie = first.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^gh_admin=gh_adm_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Domain=/i);

    const again = await page(tenant, "/settings/okta/sign-in", form(tenant, { link: secret }));
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain("already used");
  });

  it("two simultaneous redemptions of one link give one session", async () => {
    const tenant = await createTestTenant("race");
    const link = await operator("POST", `/tenants/${tenant.slug}/admin-links`);
    const secret = new URL(link.body.url).searchParams.get("link")!;
    const replies = await Promise.all(Array.from({ length: 5 }, () => page(tenant, "/settings/okta/sign-in", form(tenant, { link: secret }))));
    expect(replies.map((r) => r.status).sort()).toEqual([303, 410, 410, 410, 410]);
  });

  it("the status page shows what to paste into Okta and the directory counts", async () => {
    const tenant = await createTestTenant("status");
    await scim(tenant, "POST", "/Users", oktaUser("counted@acme.test"));
    const cookie = await signIn(tenant);
    const response = await page(tenant, "/settings/okta", { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const value of [`${tenant.origin}/okta/auth`, `${tenant.origin}/okta/scim/v2`, "HTTP Header", "EmailAddress", "Not connected"]) expect(html).toContain(value);
    expect(html).toMatch(/<strong>1<\/strong> active users/);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const css = await page(tenant, "/settings/okta/assets/console.css");
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it.each([
    ["no cookie", undefined],
    ["a made-up cookie", "gh_admin=gh_adm_forged"],
  ])("%s → 403", async (_, cookie) => {
    const tenant = await createTestTenant("deny");
    const response = await page(tenant, "/settings/okta", cookie ? { headers: { Cookie: cookie } } : {});
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("admin-link");
  });

  it("a session of tenant A does not open tenant B's console", async () => {
    const a = await createTestTenant("sess-a");
    const b = await createTestTenant("sess-b");
    const cookie = await signIn(a);
    expect((await page(b, "/settings/okta", { headers: { Cookie: cookie } })).status).toBe(403);
  });

  it("bad and expired links are refused without a session", async () => {
    const tenant = await createTestTenant("badlink");
    const unknown = await page(tenant, "/settings/okta/sign-in", form(tenant, { link: "gh_link_not-a-real-one" }));
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("set-cookie")).toBeNull();
    expect((await page(tenant, "/settings/okta/sign-in")).status).toBe(400);
  });

  it("sign-out needs the session's CSRF token and the same origin, then ends the session", async () => {
    const tenant = await createTestTenant("signout");
    const cookie = await signIn(tenant);
    const html = await (await page(tenant, "/settings/okta", { headers: { Cookie: cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    expect((await page(tenant, "/settings/okta/sign-out", form(tenant, { csrf: "wrong" }, cookie))).status).toBe(403);
    const crossSite = await page(tenant, "/settings/okta/sign-out", { ...form(tenant, { csrf }, cookie), headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: "https://evil.test" } });
    expect(crossSite.status).toBe(403);
    expect((await page(tenant, "/settings/okta", { headers: { Cookie: cookie } })).status).toBe(200);
    const out = await page(tenant, "/settings/okta/sign-out", form(tenant, { csrf }, cookie));
    expect(out.status).toBe(200);
    expect((await page(tenant, "/settings/okta", { headers: { Cookie: cookie } })).status).toBe(403);
  });
});

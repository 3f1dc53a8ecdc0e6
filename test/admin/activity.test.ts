/**
 * Watching it work: the SCIM request log and sign-in attempts on the activity page, and the overview's last
 * request and dialect — all through the real worker, as an IdP and a tenant admin would use it.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { REASON_TEXT } from "../../src/admin/reason-text";
import { signInToConsole, view, type ConsoleSession } from "../helpers/console";
import { escapeHtml } from "../helpers/html";
import { waitForScimRequests } from "../helpers/request-log";
import { postToAcs, samlSignIn } from "../helpers/saml";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

const OKTA_AGENT = { "User-Agent": "Okta SCIM Client 1.0.0" };

/** The rows of the activity table (between <tbody> and </tbody>), one string each. */
function activityRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return body.split("<tr>").slice(1);
}

describe("the SCIM request log", () => {
  let tenant: TestTenant;
  let session: ConsoleSession;
  beforeAll(async () => {
    tenant = await createTestTenant("activity");
    session = await signInToConsole(tenant);
  });

  it("records each request after answering it, with status, duration, error detail and token", async () => {
    const created = await scim(tenant, "POST", "/Users", oktaUser("logged@acme.test"), { headers: OKTA_AGENT });
    expect(created.status).toBe(201);
    const refused = await scim(tenant, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] }, { headers: OKTA_AGENT });
    expect(refused.status).toBe(400);
    const unauthorised = await scim(tenant, "GET", "/Users?count=1", undefined, { headers: { Authorization: "Bearer gh_scim_wrong" } });
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    const unknownPath = await scim(tenant, "GET", "/Nothing/here");
    expect(unknownPath.status).toBe(404);

    // Newest first by arrival; each record is written after its answer, so the test looks rows up by status.
    const rows = await waitForScimRequests(tenant, 4);
    expect(rows.map((row) => `${row.method} ${row.status}`).sort()).toEqual(["GET 401", "GET 404", "POST 201", "POST 400"]);
    const byStatus = (status: number) => rows.find((row) => row.status === status)!;
    const ok = byStatus(201);
    expect(ok).toMatchObject({ path: "/okta/scim/v2/Users", errorDetail: null, userAgent: "Okta SCIM Client 1.0.0" });
    expect(ok.tokenId).toMatch(/^tok_/);
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    expect(byStatus(400).errorDetail).toBe(`${refused.body.scimType}: ${refused.body.detail}`);
    expect(byStatus(401)).toMatchObject({ path: "/okta/scim/v2/Users?count=1", tokenId: null, errorDetail: unauthorised.body.detail });
    expect(byStatus(404).path).toBe("/okta/scim/v2/Nothing/here");

    const page = await view(tenant, session, "/settings/okta/activity?kind=scim");
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<a href="\/settings\/okta\/activity" aria-current="page">Activity<\/a>/);
    const shown = activityRows(page.html);
    expect(shown).toHaveLength(4);
    const shownWith = (status: number) => shown.find((row) => row.includes(`>${status}</span>`))!;
    expect(shownWith(400)).toContain("<code>POST</code> <code>/okta/scim/v2/Users</code>");
    expect(shownWith(400)).toContain(escapeHtml(byStatus(400).errorDetail!));
    expect(shownWith(401)).toContain(escapeHtml(unauthorised.body.detail));
    expect(shownWith(404)).toContain("/okta/scim/v2/Nothing/here");
    expect(shownWith(201)).toContain(ok.tokenId!);
    expect(shownWith(201)).toMatch(/\d+ ms/);
  });

  it("long paths are stored truncated, and the answer itself is untouched", async () => {
    const long = "a".repeat(1000);
    const reply = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${long}"`)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.totalResults).toBe(0);
    const [latest] = await waitForScimRequests(tenant, 5);
    expect(latest!.path.length).toBeLessThanOrEqual(300);
    expect(latest!.path.startsWith("/okta/scim/v2/Users?filter=userName")).toBe(true);
  });
});

describe("activity filters and pages", () => {
  let tenant: TestTenant;
  let session: ConsoleSession;
  beforeAll(async () => {
    tenant = await createTestTenant("pages");
    for (let index = 0; index < 53; index++) expect((await scim(tenant, "GET", "/ServiceProviderConfig")).status).toBe(200);
    expect((await scim(tenant, "GET", "/Users/usr_missing")).status).toBe(404);
    expect((await scim(tenant, "GET", "/Groups/grp_missing_too")).status).toBe(404);
    await waitForScimRequests(tenant, 55);
    session = await signInToConsole(tenant);
  });

  it("pages by 50, newest first, with Next and Previous links that keep the filters", async () => {
    const first = await view(tenant, session, "/settings/okta/activity?kind=scim");
    expect(activityRows(first.html)).toHaveLength(50);
    // The two 404s came last; which of them was recorded first is not fixed.
    expect(activityRows(first.html).slice(0, 2).join("")).toContain("/okta/scim/v2/Groups/grp_missing_too");
    expect(first.html).toContain('href="/settings/okta/activity?kind=scim&amp;page=2"');
    expect(first.html).not.toContain('rel="prev"');
    expect(first.html).toContain("Page 1 of 2 · 55 in all");

    const second = await view(tenant, session, "/settings/okta/activity?kind=scim&page=2");
    expect(activityRows(second.html)).toHaveLength(5);
    expect(second.html).toContain('href="/settings/okta/activity?kind=scim"');
    expect(second.html).not.toContain('rel="next"');

    const beyond = await view(tenant, session, "/settings/okta/activity?kind=scim&page=9");
    expect(beyond.status).toBe(200);
    expect(beyond.html).toContain("Nothing on this page.");
  });

  it("filters by result and by text", async () => {
    const failed = await view(tenant, session, "/settings/okta/activity?kind=scim&outcome=error");
    const rows = activityRows(failed.html);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.includes(">404<"))).toBe(true);
    expect(failed.html).toContain('<option value="error" selected="">');

    const searched = await view(tenant, session, "/settings/okta/activity?q=grp_missing");
    expect(activityRows(searched.html)).toHaveLength(1);
    expect(activityRows(searched.html)[0]).toContain("/okta/scim/v2/Groups/grp_missing_too");

    const succeeded = await view(tenant, session, "/settings/okta/activity?kind=scim&outcome=ok&page=2");
    expect(activityRows(succeeded.html)).toHaveLength(3);
    expect(succeeded.html).toContain('href="/settings/okta/activity?kind=scim&amp;outcome=ok"');
  });

  it.each([
    "page=-1",
    "page=0",
    "page=abc",
    "page=99999999999999999999",
    "page=1e3",
    "kind=zzz",
    "kind=scim&kind=sign-in",
    "outcome=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    `q=${"x".repeat(5000)}`,
    "q=%25%27%22%3B--",
    "q=%00%FF",
    "page=2&kind=all",
  ])("hostile or odd parameters (%s) get a page, never a 500", async (query) => {
    const response = await view(tenant, session, `/settings/okta/activity?${query}`);
    expect(response.status).toBe(200);
    expect(response.html).not.toContain("<script>alert");
  });

  it("explains what it normalised", async () => {
    const negative = await view(tenant, session, "/settings/okta/activity?page=-1");
    expect(negative.html).toContain(escapeHtml('"page" must be a whole number from 1; showing page 1.'));
    const unknownKind = await view(tenant, session, "/settings/okta/activity?kind=zzz");
    expect(unknownKind.html).toContain(escapeHtml('"kind" can be all, scim, sign-in; "zzz" is not one of them, so all is shown.'));
    expect(activityRows(unknownKind.html)).toHaveLength(50);
  });
});

describe("sign-in attempts on the activity page", () => {
  let tenant: TestTenant;
  let session: ConsoleSession;
  beforeAll(async () => {
    tenant = await createTestTenant("attempts");
    const saved = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.test/app/gatehouse/sso/saml", issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem] });
    expect(saved.status).toBe(200);
    await scim(tenant, "POST", "/Users", oktaUser("ada@acme.test"));
    await waitForScimRequests(tenant, 1);
    session = await signInToConsole(tenant);
  });

  it("a failed sign-in shows its reason in plain words, and IdP time against edge time", async () => {
    const past = Date.now() - 3600_000;
    const at = (seconds: number) => new Date(past + seconds * 1000).toISOString();
    const refused = await samlSignIn(tenant, "ada@acme.test", { issueInstant: at(0), notBefore: at(-60), notOnOrAfter: at(300), confirmationNotOnOrAfter: at(300) });
    expect(refused.status).toBe(400);
    const recorded = await env.DB.prepare("SELECT reason FROM sign_in_attempts WHERE tenant_id = ? ORDER BY at DESC LIMIT 1").bind(tenant.id).first<{ reason: keyof typeof REASON_TEXT }>();
    expect(["assertion_expired", "subject_confirmation_expired"]).toContain(recorded!.reason);

    const page = await view(tenant, session, "/settings/okta/activity?kind=sign-in");
    const [row] = activityRows(page.html);
    expect(row).toContain("refused");
    expect(row).toContain(`<code>${recorded!.reason}</code>`);
    expect(row).toContain(escapeHtml(REASON_TEXT[recorded!.reason]));
    // Refused before its subject was read: no user is named.
    expect(row).toContain("user not identified");
    expect(row).toMatch(/IdP time \(valid until\): \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(row).toMatch(/edge time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(row).toMatch(/edge − IdP: \d+ s/);
  });

  it("a success shows, the user links to their page, and the merged list holds both kinds", async () => {
    expect((await samlSignIn(tenant, "ada@acme.test")).status).toBe(303);
    expect((await postToAcs(tenant, "not base64!")).status).toBe(400);
    const succeeded = await view(tenant, session, "/settings/okta/activity?kind=sign-in&outcome=ok");
    const rows = activityRows(succeeded.html);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("signed in");
    expect(rows[0]).toMatch(/href="\/settings\/okta\/users\/usr_[^"]+"/);
    expect(rows[0]).toMatch(/IdP time \(issued\)/);

    const garbage = await view(tenant, session, "/settings/okta/activity?kind=sign-in&q=base64");
    expect(activityRows(garbage.html)[0]).toContain(escapeHtml(REASON_TEXT.response_not_base64));

    const everything = await view(tenant, session, "/settings/okta/activity");
    const merged = activityRows(everything.html);
    expect(merged.some((row) => row.includes("Sign-in"))).toBe(true);
    expect(merged.some((row) => row.includes("<code>POST</code> <code>/okta/scim/v2/Users</code>"))).toBe(true);
  });
});

describe("the overview", () => {
  it("shows the last SCIM request and the dialect: Okta catalog app after a PATCH, wizard app after a PUT", async () => {
    const tenant = await createTestTenant("overview");
    const session = await signInToConsole(tenant);
    const before = await view(tenant, session, "/settings/okta");
    expect(before.html).toContain("not known yet");
    expect(before.html).toContain("No provisioning jobs");
    expect(before.html).toMatch(/<a href="\/settings\/okta" aria-current="page">Overview<\/a>/);

    const user = (await scim(tenant, "POST", "/Users", oktaUser("dialect@acme.test"), { headers: OKTA_AGENT })).body;
    const patched = await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }), { headers: OKTA_AGENT });
    expect(patched.status).toBe(200);
    await waitForScimRequests(tenant, 2);
    const catalog = await view(tenant, session, "/settings/okta");
    expect(catalog.html).toContain("Okta app from the catalog (PATCH)");
    expect(catalog.html).toContain(`<code>PATCH</code> <code>/okta/scim/v2/Users/${user.id}</code>`);
    expect(catalog.html).toMatch(/<strong>0<\/strong> active users/);
    expect(catalog.html).toMatch(/<strong>1<\/strong> deactivated/);

    const replaced = await scim(tenant, "PUT", `/Users/${user.id}`, oktaUser("dialect@acme.test", { active: true }), { headers: OKTA_AGENT });
    expect(replaced.status).toBe(200);
    // A list afterwards tells nothing about the dialect: the last definite one stays.
    await scim(tenant, "GET", "/Users?startIndex=1&count=100", undefined, { headers: OKTA_AGENT });
    await waitForScimRequests(tenant, 4);
    const wizard = await view(tenant, session, "/settings/okta");
    expect(wizard.html).toContain(escapeHtml("Okta SCIM app made with the App Integration Wizard (PUT)"));
    expect(wizard.html).toContain("<code>GET</code> <code>/okta/scim/v2/Users?startIndex=1&amp;count=100</code>");
  });

  it("an Entra-shaped PATCH (no User-Agent, capitalised ops) reads as Microsoft Entra ID", async () => {
    const tenant = await createTestTenant("overview-entra");
    const session = await signInToConsole(tenant);
    const user = (await scim(tenant, "POST", "/Users", oktaUser("entra@contoso.test"))).body;
    expect((await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "Replace", path: "active", value: "False" }))).status).toBe(200);
    await waitForScimRequests(tenant, 2);
    expect((await view(tenant, session, "/settings/okta")).html).toContain("Microsoft Entra ID");
  });
});

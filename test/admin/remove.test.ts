/** "Remove integration": counted first, confirmed by typing the tenant's slug, then everything it lists happens. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consolePage, signInToConsole, submit, view } from "../helpers/console";
import { cookieOf, samlSignIn } from "../helpers/saml";
import { eventsOf, insertUsers, waitForJobs } from "../helpers/provisioning";
import { createTestTenant, oktaUser, operator, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

async function populatedTenant() {
  const tenant = await createTestTenant("remove");
  await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.test/sso", issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem] });
  const ids: string[] = [];
  for (const name of ["a@acme.test", "b@acme.test", "c@acme.test"]) ids.push(((await scim(tenant, "POST", "/Users", oktaUser(name))).body as { id: string }).id);
  await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Everyone", members: ids.map((value) => ({ value })) });
  await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Empty" });
  const signedIn = await samlSignIn(tenant, "a@acme.test");
  const userCookie = cookieOf(signedIn)!;
  const session = await signInToConsole(tenant);
  return { tenant, session, userCookie };
}

async function counts(tenant: TestTenant) {
  const row = await env.DB.prepare(
    "SELECT (SELECT COUNT(*) FROM users WHERE tenant_id = ?1) AS users, (SELECT COUNT(*) FROM groups WHERE tenant_id = ?1) AS groups, (SELECT COUNT(*) FROM group_members WHERE tenant_id = ?1) AS members, (SELECT COUNT(*) FROM idp_connections WHERE tenant_id = ?1) AS connections",
  )
    .bind(tenant.id)
    .first<{ users: number; groups: number; members: number; connections: number }>();
  return row!;
}

describe("remove integration", () => {
  it("previews what will happen", async () => {
    const { tenant, session } = await populatedTenant();
    const { status, html } = await view(tenant, session, "/settings/okta/remove");
    expect(status).toBe(200);
    const preview = /id="remove-preview">([\s\S]*?)<\/div>/.exec(html)![1]!;
    expect(preview).toContain("3 users");
    expect(preview).toContain("2 groups");
    expect(preview).toContain("1 active session");
    expect(preview).toContain("1 SCIM token");
    expect(html).toContain(`Type ${tenant.slug} to confirm`);
  });

  it.each([["nothing typed", ""], ["the wrong name", "someone-else"], ["the display name", "Tenant x"]])("refuses %s and changes nothing", async (_, typed) => {
    const { tenant, session, userCookie } = await populatedTenant();
    const before = await counts(tenant);
    const response = await submit(tenant, session, "/settings/okta/remove", { confirm: typed });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="confirm-error"');
    expect(await counts(tenant)).toEqual(before);
    expect((await scim(tenant, "GET", "/Users")).status).toBe(200);
    expect((await consolePage(tenant, "/api/session", { headers: { Cookie: userCookie } })).status).toBe(200);
  });

  it("revokes tokens, removes the IdP settings, ends sessions and deletes the directory, with an audit row", async () => {
    const { tenant, session, userCookie } = await populatedTenant();
    const response = await submit(tenant, session, "/settings/okta/remove", { confirm: tenant.slug });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Integration removed");
    expect(html).toMatch(/Deleted 3 users and 2 groups, ended 1 active session, revoked 1 SCIM token and removed the IdP settings/);

    expect(await counts(tenant)).toEqual({ users: 0, groups: 0, members: 0, connections: 0 });
    expect((await scim(tenant, "GET", "/Users")).status).toBe(401);
    expect((await consolePage(tenant, "/api/session", { headers: { Cookie: userCookie } })).status).toBe(401);
    expect((await samlSignIn(tenant, "a@acme.test")).status).toBe(403);
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'integration.removed'").bind(tenant.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ users: 3, groups: 2, activeSessions: 1, tokens: 1, connected: true });
    // The admin who removed it is still in the console, and it can be set up again.
    expect((await view(tenant, session, "/settings/okta")).html).toContain("Not connected");
    expect((await view(tenant, session, "/settings/okta/remove")).html).toMatch(/0 users[\s\S]*0 groups/);
  });

  it("tells the host app of every user and group it deletes", async () => {
    const { tenant, session } = await populatedTenant();
    await submit(tenant, session, "/settings/okta/remove", { confirm: tenant.slug });
    const deleted = (await eventsOf(tenant)).filter((event) => event.type.endsWith(".deleted"));
    expect(deleted.map((event) => event.type).sort()).toEqual(["group.deleted", "group.deleted", "user.deleted", "user.deleted", "user.deleted"]);
    expect(deleted.filter((event) => event.type === "user.deleted").map((event) => event.data.userName).sort()).toEqual(["a@acme.test", "b@acme.test", "c@acme.test"]);
  });

  it("disconnects at once and deletes a directory of more than 100 in batches, as a provisioning job", async () => {
    const { tenant, session, userCookie } = await populatedTenant();
    await insertUsers(tenant, 150);
    const response = await submit(tenant, session, "/settings/okta/remove", { confirm: tenant.slug });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Removal started");
    expect(html).toMatch(/Deleting 153 users and 2 groups in batches/);
    // Nobody can use what is left, before the first batch is applied.
    expect((await scim(tenant, "GET", "/Users")).status).toBe(401);
    expect((await consolePage(tenant, "/api/session", { headers: { Cookie: userCookie } })).status).toBe(401);
    expect((await counts(tenant)).connections).toBe(0);

    const [job] = await waitForJobs(tenant);
    expect(job).toMatchObject({ kind: "integration.remove", state: "done", total: 155, applied: 155, batches: 3 });
    expect(await counts(tenant)).toEqual({ users: 0, groups: 0, members: 0, connections: 0 });
    const events = await eventsOf(tenant);
    expect(events.filter((event) => event.type === "user.deleted")).toHaveLength(153);
    expect(events.filter((event) => event.type === "group.deleted")).toHaveLength(2);
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'integration.removed'").bind(tenant.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toMatchObject({ users: 153, groups: 2, jobId: job!.id });
    expect((await view(tenant, session, "/settings/okta")).html).toContain("Deleting the directory (integration removed)");
  });

  it("leaves other tenants alone", async () => {
    const first = await populatedTenant();
    const second = await populatedTenant();
    await submit(first.tenant, first.session, "/settings/okta/remove", { confirm: first.tenant.slug });
    expect(await counts(second.tenant)).toEqual({ users: 3, groups: 2, members: 3, connections: 1 });
    expect((await scim(second.tenant, "GET", "/Users")).status).toBe(200);
  });
});

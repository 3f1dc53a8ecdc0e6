/** Users and groups in the console: searchable lists, a user's page, a group's members, tenant isolation. */
import { beforeAll, describe, expect, it } from "vitest";
import { signInToConsole, view, type ConsoleSession } from "../helpers/console";
import { samlSignIn } from "../helpers/saml";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

/** The rows of the page's first table body, one string each. */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return body.split("<tr>").slice(1);
}

async function createGroup(tenant: TestTenant, displayName: string, memberIds: string[]): Promise<{ id: string }> {
  const created = await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, members: memberIds.map((value) => ({ value })) });
  expect(created.status).toBe(201);
  return created.body;
}

describe("users", () => {
  let tenant: TestTenant;
  let session: ConsoleSession;
  let ada: { id: string };
  let grace: { id: string };
  let engineering: { id: string };
  beforeAll(async () => {
    tenant = await createTestTenant("directory");
    const saved = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.test/app/gatehouse/sso/saml", issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem], jitProvisioning: true });
    expect(saved.status).toBe(200);
    ada = (await scim(tenant, "POST", "/Users", oktaUser("ada.lovelace@acme.test", { roles: [{ value: "admin", primary: true }, { value: "billing" }] }))).body;
    grace = (await scim(tenant, "POST", "/Users", oktaUser("grace.hopper@acme.test", { displayName: "Rear Admiral Hopper" }))).body;
    await scim(tenant, "PATCH", `/Users/${grace.id}`, patchBody({ op: "replace", value: { active: false } }));
    engineering = await createGroup(tenant, "Engineering", [ada.id]);
    await createGroup(tenant, "Everyone", [ada.id, grace.id]);
    expect((await samlSignIn(tenant, "ada.lovelace@acme.test")).status).toBe(303);
    expect((await samlSignIn(tenant, "grace.hopper@acme.test")).status).toBe(403);
    expect((await samlSignIn(tenant, "newcomer@acme.test")).status).toBe(303);
    session = await signInToConsole(tenant);
  });

  it("lists users with status and source, searchable by user name, display name and email", async () => {
    const all = await view(tenant, session, "/settings/okta/users");
    expect(all.status).toBe(200);
    expect(all.html).toMatch(/<a href="\/settings\/okta\/users" aria-current="page">Users<\/a>/);
    const rows = tableRows(all.html);
    expect(rows).toHaveLength(3);
    const row = (name: string) => rows.find((candidate) => candidate.includes(name))!;
    expect(row("ada.lovelace@acme.test")).toContain("active");
    expect(row("ada.lovelace@acme.test")).toContain("SCIM");
    expect(row("grace.hopper@acme.test")).toContain("deactivated");
    expect(row("newcomer@acme.test")).toContain("just-in-time");

    for (const [query, expected] of [
      ["ADA.LOVELACE", "ada.lovelace@acme.test"],
      ["Admiral", "grace.hopper@acme.test"],
      ["newcomer@", "newcomer@acme.test"],
    ] as const) {
      const found = tableRows((await view(tenant, session, `/settings/okta/users?q=${encodeURIComponent(query)}`)).html);
      expect(found, query).toHaveLength(1);
      expect(found[0]).toContain(expected);
    }
    const none = await view(tenant, session, "/settings/okta/users?q=%25");
    expect(none.html).toContain("No user matches.");
  });

  it("a user's page shows groups, roles, status, source and recent sign-ins", async () => {
    const page = await view(tenant, session, `/settings/okta/users/${ada.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<a href="/settings/okta/groups/${engineering.id}">Engineering</a>`);
    expect(page.html).toContain(">Everyone</a>");
    expect(page.html).toContain("<code>admin</code>, <code>billing</code>");
    expect(page.html).toContain("SCIM (provisioned by the IdP)");
    expect(page.html).toContain('<span class="badge ok">active</span>');
    const signIns = tableRows(page.html.slice(page.html.indexOf("Recent sign-ins")));
    expect(signIns).toHaveLength(1);
    expect(signIns[0]).toContain("signed in");

    const refused = await view(tenant, session, `/settings/okta/users/${grace.id}`);
    expect(refused.html).toContain('<span class="badge warn">deactivated</span>');
    expect(refused.html).toContain("<code>user_deactivated</code>");
    expect(refused.html).toContain("Reactivate them in Okta");
  });

  it("a user created at sign-in shows as just-in-time", async () => {
    const listed = (await view(tenant, session, "/settings/okta/users?q=newcomer")).html;
    const id = /href="\/settings\/okta\/users\/(usr_[^"]+)"/.exec(listed)![1]!;
    const page = await view(tenant, session, `/settings/okta/users/${id}`);
    expect(page.html).toContain("Just-in-time (created at first sign-in)");
    expect(page.html).toContain("signed in");
  });

  it("groups are listed with member counts, and a group's page lists its members", async () => {
    const list = tableRows((await view(tenant, session, "/settings/okta/groups")).html);
    expect(list).toHaveLength(2);
    expect(list.find((row) => row.includes("Everyone"))).toContain("<td>2</td>");
    const searched = tableRows((await view(tenant, session, "/settings/okta/groups?q=engin")).html);
    expect(searched).toHaveLength(1);
    expect(searched[0]).toContain("Engineering");

    const group = await view(tenant, session, `/settings/okta/groups/${engineering.id}`);
    expect(group.status).toBe(200);
    const members = tableRows(group.html.slice(group.html.indexOf('id="members"')));
    expect(members).toHaveLength(1);
    expect(members[0]).toContain(`/settings/okta/users/${ada.id}`);
  });

  it("another tenant's ids, unknown ids and odd ids are a 404 page, never another tenant's data", async () => {
    const other = await createTestTenant("directory-other");
    const stranger = (await scim(other, "POST", "/Users", oktaUser("stranger@other.test"))).body;
    const strangers = await createGroup(other, "Strangers", [stranger.id]);
    for (const path of [
      `/settings/okta/users/${stranger.id}`,
      `/settings/okta/groups/${strangers.id}`,
      "/settings/okta/users/usr_does_not_exist",
      "/settings/okta/groups/grp_does_not_exist",
      `/settings/okta/users/${"x".repeat(500)}`,
      "/settings/okta/users/%27%20OR%201%3D1--",
      "/settings/okta/groups/%E2%80%AE",
    ]) {
      const response = await view(tenant, session, path);
      expect(response.status, path).toBe(404);
      expect(response.html).not.toContain("stranger@other.test");
      expect(response.html).not.toContain("Strangers");
    }
    expect((await view(tenant, session, "/settings/okta/users?q=stranger")).html).toContain("No user matches.");
  });

  it.each([
    ["/settings/okta/users?page=-1", true],
    [`/settings/okta/users?page=zz&q=${"y".repeat(3000)}`, true],
    ["/settings/okta/groups?page=0", true],
    ["/settings/okta/users?page=5000", true],
    ["/settings/okta/groups?q=%00", false],
    ["/settings/okta/groups/%E2%80%AE?page=-3", false],
  ] as const)("odd list parameters (%s) get a page or a 404, never a 500", async (path, normalised) => {
    const response = await view(tenant, session, path);
    expect([200, 404]).toContain(response.status);
    if (normalised) expect(response.html).toContain('class="notice warn"');
  });
});

describe("a group's members are paged", () => {
  it("50 a page, with a Next link", async () => {
    const tenant = await createTestTenant("members");
    const ids: string[] = [];
    for (let index = 0; index < 52; index++) ids.push((await scim(tenant, "POST", "/Users", oktaUser(`member${String(index).padStart(2, "0")}@acme.test`))).body.id);
    const group = await createGroup(tenant, "Big group", ids);
    const session = await signInToConsole(tenant);
    const first = await view(tenant, session, `/settings/okta/groups/${group.id}`);
    expect(tableRows(first.html.slice(first.html.indexOf('id="members"')))).toHaveLength(50);
    expect(first.html).toContain(`href="/settings/okta/groups/${group.id}?page=2"`);
    const second = await view(tenant, session, `/settings/okta/groups/${group.id}?page=2`);
    const rows = tableRows(second.html.slice(second.html.indexOf('id="members"')));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("member51@acme.test");
  });
});

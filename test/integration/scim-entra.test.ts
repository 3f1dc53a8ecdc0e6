/** Microsoft Entra ID's provisioning dialect, as its SCIM client sends it (no User-Agent, capitalised ops). */
import { describe, expect, it } from "vitest";
import { createTestTenant, patchBody, scim, type TestTenant } from "../helpers/tenant";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function entraUser(userName: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    externalId: userName.split("@")[0],
    userName,
    active: true,
    displayName: "Entra Person",
    emails: [{ primary: true, type: "work", value: userName }],
    meta: { resourceType: "User" },
    name: { formatted: "Entra Person", familyName: "Person", givenName: "Entra" },
    [ENTERPRISE]: { department: "Finance" },
  };
}

async function entraUserCreated(tenant: TestTenant, userName: string) {
  const created = await scim(tenant, "POST", "/Users", entraUser(userName), { headers: { "Content-Type": "application/json" } });
  expect(created.status).toBe(201);
  return created.body;
}

describe("Entra ID dialect", () => {
  it("string booleans, capitalised ops, dotted pathless keys and extension paths", async () => {
    const tenant = await createTestTenant();
    const user = await entraUserCreated(tenant, "entra.person@contoso.test");
    const patched = await scim(
      tenant,
      "PATCH",
      `/Users/${user.id}`,
      patchBody(
        { op: "Replace", path: "active", value: "False" },
        { op: "Replace", value: { "name.givenName": "Renamed", [`${ENTERPRISE}:department`]: "Legal" } },
        { op: "Add", path: 'emails[type eq "home"].value', value: "home@contoso.test" },
        { op: "Add", path: `${ENTERPRISE}:manager`, value: { value: "usr_manager" } },
      ),
    );
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    expect(patched.body.name).toEqual({ formatted: "Entra Person", familyName: "Person", givenName: "Renamed" });
    expect(patched.body[ENTERPRISE]).toEqual({ department: "Legal", manager: { value: "usr_manager" } });
    expect(patched.body.emails).toContainEqual({ type: "home", value: "home@contoso.test" });
  });

  it("filters the way Entra does, and excludedAttributes=members on groups", async () => {
    const tenant = await createTestTenant();
    const user = await entraUserCreated(tenant, "filter.me@contoso.test");
    const byExternalId = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent('externalId eq "filter.me"')}`);
    expect(byExternalId.body.Resources.map((u: { id: string }) => u.id)).toEqual([user.id]);
    const group = await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Finance", externalId: "g-fin", members: [] });
    const lookup = await scim(tenant, "GET", `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Finance"')}`);
    expect(lookup.body.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
    expect(lookup.body.Resources[0].id).toBe(group.body.id);
    const single = await scim(tenant, "GET", `/Groups/${group.body.id}?excludedAttributes=members`);
    expect(single.body).not.toHaveProperty("members");
  });

  it("remove-member with a value list removes just those members, never the whole group", async () => {
    const tenant = await createTestTenant();
    const people = [];
    for (const name of ["one", "two", "three"]) people.push(await entraUserCreated(tenant, `${name}@contoso.test`));
    const group = await scim(tenant, "POST", "/Groups", { displayName: "Team", members: people.map((p) => ({ value: p.id })) });
    const removal = await scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "Remove", path: "members", value: [{ value: people[1].id }] }));
    expect(removal.status).toBe(204);
    const after = await scim(tenant, "GET", `/Groups/${group.body.id}`);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([people[0].id, people[2].id]);
    const addBack = await scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "Add", path: "members", value: [{ value: people[1].id }] }));
    expect(addBack.status).toBe(204);
    expect((await scim(tenant, "GET", `/Groups/${group.body.id}`)).body.members).toHaveLength(3);
  });

  it("deletes users (Entra does; Okta never does) and their memberships with them", async () => {
    const tenant = await createTestTenant();
    const user = await entraUserCreated(tenant, "leaver@contoso.test");
    const group = await scim(tenant, "POST", "/Groups", { displayName: "Leavers", members: [{ value: user.id }] });
    expect((await scim(tenant, "DELETE", `/Users/${user.id}`)).status).toBe(204);
    expect((await scim(tenant, "GET", `/Users/${user.id}`)).status).toBe(404);
    expect((await scim(tenant, "DELETE", `/Users/${user.id}`)).status).toBe(404);
    expect((await scim(tenant, "GET", `/Groups/${group.body.id}`)).body.members).toEqual([]);
  });
});

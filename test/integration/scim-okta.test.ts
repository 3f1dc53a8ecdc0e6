/**
 * Okta's provisioning flows end to end through the worker: the catalog-app (PATCH) dialect and the
 * App-Integration-Wizard (PUT) dialect, user lifecycle and group push.
 */
import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, patchBody, scim, type TestTenant } from "../helpers/tenant";

async function provision(tenant: TestTenant, userName: string, extra: Record<string, unknown> = {}) {
  // Okta looks the user up first (filter, startIndex=1&count=100), then creates.
  const lookup = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
  expect(lookup.status).toBe(200);
  expect(lookup.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
  const created = await scim(tenant, "POST", "/Users", oktaUser(userName, extra));
  expect(created.status).toBe(201);
  return created.body;
}

describe("Okta catalog app (PATCH)", () => {
  it("provisions, looks up case-insensitively, deactivates with a pathless replace and keeps every other attribute", async () => {
    const tenant = await createTestTenant();
    const user = await provision(tenant, "grace.hopper@acme.test");
    expect(user).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "grace.hopper@acme.test",
      active: true,
      name: { givenName: "grace", familyName: "hopper" },
      groups: [],
      meta: { resourceType: "User", version: 'W/"1"' },
    });
    expect(user).not.toHaveProperty("password");
    expect(user.id).toMatch(/^usr_[A-Za-z0-9_-]{22}$/);
    expect(user.meta.location).toBe(`${tenant.scimBaseUrl}/Users/${user.id}`);

    const found = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent('userName eq "GRACE.HOPPER@ACME.TEST"')}&startIndex=1&count=100`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(user.id);

    const deactivated = await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }));
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect(deactivated.body.name).toEqual(user.name);
    expect(deactivated.body.emails).toEqual(user.emails);
    expect(deactivated.body.meta.version).toBe('W/"2"');
    expect(deactivated.headers.get("etag")).toBe('W/"2"');

    const reactivated = await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: true } }));
    expect(reactivated.body.active).toBe(true);
  });

  it("a re-POST of a deactivated user's externalId restores that user (Okta reassignment)", async () => {
    const tenant = await createTestTenant();
    const user = await provision(tenant, "alan.turing@acme.test");
    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }));
    const again = await scim(tenant, "POST", "/Users", oktaUser("alan.turing@acme.test", { externalId: user.externalId, title: "Codebreaker" }));
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(user.id);
    expect(again.body.active).toBe(true);
    expect(again.body.title).toBe("Codebreaker");
    const all = await scim(tenant, "GET", "/Users");
    expect(all.body.totalResults).toBe(1);
  });

  it("a POST of an existing active userName is 409 uniqueness, whatever its case", async () => {
    const tenant = await createTestTenant();
    await provision(tenant, "edsger.dijkstra@acme.test");
    const duplicate = await scim(tenant, "POST", "/Users", oktaUser("Edsger.Dijkstra@ACME.test", { externalId: "other" }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: expect.stringContaining("already exists"),
    });
    expect(duplicate.headers.get("content-type")).toMatch(/^application\/scim\+json/);
  });

  it("group push: create, rename with members in one PATCH, remove by filter, full replace, delete", async () => {
    const tenant = await createTestTenant();
    const [a, b, c] = await Promise.all(["a.one@acme.test", "b.two@acme.test", "c.three@acme.test"].map((name) => provision(tenant, name)));
    const group = await scim(tenant, "POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      members: [{ value: a.id, display: a.userName }],
    });
    expect(group.status).toBe(201);
    expect(group.body.members).toEqual([{ value: a.id, $ref: `${tenant.scimBaseUrl}/Users/${a.id}`, type: "User", display: "a one" }]);

    const patch = await scim(
      tenant,
      "PATCH",
      `/Groups/${group.body.id}`,
      patchBody(
        { op: "replace", value: { id: group.body.id, displayName: "Engineering (all)" } },
        { op: "remove", path: `members[value eq "${a.id}"]` },
        { op: "add", path: "members", value: [{ value: b.id, display: b.userName }, { value: c.id, display: c.userName }] },
      ),
    );
    expect(patch.status).toBe(204);
    expect(patch.headers.get("etag")).toBe('W/"2"');
    const read = await scim(tenant, "GET", `/Groups/${group.body.id}`);
    expect(read.body.displayName).toBe("Engineering (all)");
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([b.id, c.id].sort());

    const userView = await scim(tenant, "GET", `/Users/${b.id}`);
    expect(userView.body.groups).toEqual([{ value: group.body.id, $ref: `${tenant.scimBaseUrl}/Groups/${group.body.id}`, display: "Engineering (all)", type: "direct" }]);

    await scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "replace", path: "members", value: [{ value: a.id }] }));
    const replaced = await scim(tenant, "GET", `/Groups/${group.body.id}`);
    expect(replaced.body.members.map((m: { value: string }) => m.value)).toEqual([a.id]);

    const filtered = await scim(tenant, "GET", `/Groups?filter=${encodeURIComponent('displayName eq "engineering (ALL)"')}&excludedAttributes=members`);
    expect(filtered.body.totalResults).toBe(1);
    expect(filtered.body.Resources[0]).not.toHaveProperty("members");

    expect((await scim(tenant, "DELETE", `/Groups/${group.body.id}`)).status).toBe(204);
    expect((await scim(tenant, "GET", `/Groups/${group.body.id}`)).status).toBe(404);
    expect((await scim(tenant, "GET", `/Users/${a.id}`)).body.groups).toEqual([]);
  });

  it("a second group with the same name is 409; removing a non-member is harmless", async () => {
    const tenant = await createTestTenant();
    const user = await provision(tenant, "x.member@acme.test");
    const group = await scim(tenant, "POST", "/Groups", { displayName: "Sales", members: [] });
    expect((await scim(tenant, "POST", "/Groups", { displayName: "SALES" })).status).toBe(409);
    const removal = await scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "remove", path: `members[value eq "${user.id}"]` }));
    expect(removal.status).toBe(204);
    expect(removal.headers.get("etag")).toBe('W/"1"'); // nothing changed, so the version did not move
  });
});

describe("Okta wizard app (PUT)", () => {
  it("updates and deactivates users with PUT, and pushes groups with PUT", async () => {
    const tenant = await createTestTenant();
    const user = await provision(tenant, "katherine.johnson@acme.test");
    const updated = await scim(tenant, "PUT", `/Users/${user.id}`, { ...oktaUser("katherine.johnson@acme.test"), id: user.id, title: "Mathematician" });
    expect(updated.status).toBe(200);
    expect(updated.body.title).toBe("Mathematician");
    const deactivated = await scim(tenant, "PUT", `/Users/${user.id}`, { ...oktaUser("katherine.johnson@acme.test"), id: user.id, active: false });
    expect(deactivated.body.active).toBe(false);
    expect(deactivated.body).not.toHaveProperty("title"); // PUT replaces: what is not sent is gone

    const other = await provision(tenant, "dorothy.vaughan@acme.test");
    const group = await scim(tenant, "POST", "/Groups", { displayName: "NASA", members: [{ value: user.id }] });
    const put = await scim(tenant, "PUT", `/Groups/${group.body.id}`, { id: group.body.id, displayName: "NASA Langley", members: [{ value: other.id }] });
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe("NASA Langley");
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([other.id]);

    // A PUT without members renames only: memberships are never dropped by omission.
    const rename = await scim(tenant, "PUT", `/Groups/${group.body.id}`, { displayName: "NASA Langley Research Center" });
    expect(rename.body.members.map((m: { value: string }) => m.value)).toEqual([other.id]);
    const emptied = await scim(tenant, "PUT", `/Groups/${group.body.id}`, { displayName: "NASA Langley Research Center", members: [] });
    expect(emptied.body.members).toEqual([]);
  });

  it("If-Match: a stale version is 412 and nothing is written; the current one is accepted", async () => {
    const tenant = await createTestTenant();
    const user = await provision(tenant, "hedy.lamarr@acme.test");
    const stale = await scim(tenant, "PUT", `/Users/${user.id}`, oktaUser("hedy.lamarr@acme.test", { title: "Inventor" }), { headers: { "If-Match": 'W/"7"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.status).toBe("412");
    expect((await scim(tenant, "GET", `/Users/${user.id}`)).body).not.toHaveProperty("title");
    const fresh = await scim(tenant, "PUT", `/Users/${user.id}`, oktaUser("hedy.lamarr@acme.test", { title: "Inventor" }), { headers: { "If-Match": 'W/"1"' } });
    expect(fresh.status).toBe(200);
    const notModified = await scim(tenant, "GET", `/Users/${user.id}`, undefined, { headers: { "If-None-Match": 'W/"2"' } });
    expect(notModified.status).toBe(304);
  });
});

describe("reads", () => {
  it("pages in a stable order with integer counts, and honours attributes", async () => {
    const tenant = await createTestTenant();
    const names = Array.from({ length: 7 }, (_, i) => `user${i}@acme.test`);
    for (const name of names) await scim(tenant, "POST", "/Users", oktaUser(name));
    const first = await scim(tenant, "GET", "/Users?startIndex=1&count=3");
    const second = await scim(tenant, "GET", "/Users?startIndex=4&count=3");
    const third = await scim(tenant, "GET", "/Users?startIndex=7&count=3");
    expect([first.body.totalResults, first.body.itemsPerPage, first.body.startIndex]).toEqual([7, 3, 1]);
    expect([third.body.itemsPerPage, third.body.startIndex]).toEqual([1, 7]);
    const seen = [...first.body.Resources, ...second.body.Resources, ...third.body.Resources].map((u: { userName: string }) => u.userName);
    expect(seen).toEqual(names);

    const projected = await scim(tenant, "GET", "/Users?attributes=userName,name.givenName&count=1");
    expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(["id", "name", "schemas", "userName"]);
    expect(projected.body.Resources[0].name).toEqual({ givenName: "user0" });

    const filtered = await scim(tenant, "GET", `/Users?filter=${encodeURIComponent('userName sw "user1" or userName ew "6@acme.test"')}`);
    expect(filtered.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["user1@acme.test", "user6@acme.test"]);

    const search = await scim(tenant, "POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'userName eq "user3@acme.test"', attributes: ["userName"] });
    expect(search.body.totalResults).toBe(1);
    expect(search.body.Resources[0]).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: expect.any(String), userName: "user3@acme.test" });
  });

  it("serves the discovery endpoints on both base paths", async () => {
    const tenant = await createTestTenant();
    const config = await scim(tenant, "GET", "/ServiceProviderConfig", undefined, { base: "/okta/scim" });
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 1000 }, etag: { supported: true } });
    const types = await scim(tenant, "GET", "/ResourceTypes");
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(["User", "Group"]);
    const schemas = await scim(tenant, "GET", "/Schemas");
    expect(schemas.body.totalResults).toBe(3);
    const userSchema = await scim(tenant, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    expect(userSchema.body.attributes.find((a: { name: string }) => a.name === "userName")).toMatchObject({ uniqueness: "server", required: true });
    const created = await scim(tenant, "POST", "/Users", oktaUser("v1.base@acme.test"), { base: "/okta/scim" });
    expect(created.body.meta.location).toBe(`${tenant.origin}/okta/scim/Users/${created.body.id}`);
    for (const path of ["/ServiceProviderConfig", "/Schemas", "/ResourceTypes"]) {
      const write = await scim(tenant, "POST", path, {});
      expect(write.status).toBe(405);
      expect(write.body.status).toBe("405");
    }
  });

  it("keeps unknown extension attributes and the enterprise extension, and never stores the password", async () => {
    const tenant = await createTestTenant();
    const custom = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    const created = await scim(tenant, "POST", "/Users", {
      ...oktaUser("ext.user@acme.test"),
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", custom],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: 1234, department: "R&D", manager: { value: "usr_x" } },
      [custom]: { badgeColor: "blue", floors: [3, 4] },
      roles: [{ value: "admin", primary: true }],
    });
    expect(created.status).toBe(201);
    const read = await scim(tenant, "GET", `/Users/${created.body.id}`);
    expect(read.body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", custom]);
    expect(read.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).toEqual({ employeeNumber: "1234", department: "R&D", manager: { value: "usr_x" } });
    expect(read.body[custom]).toEqual({ badgeColor: "blue", floors: [3, 4] });
    expect(read.body.roles).toEqual([{ value: "admin", primary: true }]);
    expect(JSON.stringify(read.body)).not.toContain("Okta-sends-a-random-password");
  });
});

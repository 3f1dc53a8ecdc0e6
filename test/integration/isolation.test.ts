/** Tenant isolation: hosts decide the tenant, and nothing of one tenant is reachable from another. */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { TenantDurableObject } from "../../src/tenant-do/tenant-do";
import { createTestTenant, oktaUser, patchBody, scim } from "../helpers/tenant";

describe("hosts", () => {
  it.each([
    ["http://nosuchtenant.localhost/okta/scim/v2/Users", "unknown tenant"],
    ["http://a.b.localhost/okta/scim/v2/Users", "two labels deep"],
    ["http://example.com/okta/scim/v2/Users", "outside the domain"],
    ["http://localhost.evil.test/okta/scim/v2/Users", "lookalike"],
  ])("%s (%s) is a SCIM 404 before any auth", async (url) => {
    const response = await SELF.fetch(url, { headers: { Authorization: "Bearer whatever" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(await response.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });

  it("non-SCIM paths on unknown hosts are a plain 404", async () => {
    const response = await SELF.fetch("http://evil.test/anything");
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Not found\n");
  });

  it("the Host header is used when the URL carries a loopback address (Miniflare, node:http clients)", async () => {
    const tenant = await createTestTenant();
    const response = await SELF.fetch("http://127.0.0.1:8787/okta/scim/v2/ServiceProviderConfig", {
      headers: { Host: `${tenant.slug}.localhost:8787`, Authorization: `Bearer ${tenant.token}` },
    });
    expect(response.status).toBe(200);
  });

  it("the operator API answers only on the operator host", async () => {
    const tenant = await createTestTenant();
    const response = await SELF.fetch(`http://${tenant.slug}.localhost/_operator/tenants`, { headers: { Authorization: `Bearer ${env.OPERATOR_TOKEN}` } });
    expect(response.status).toBe(404);
  });
});

describe("tenant isolation", () => {
  it("a token of tenant A does not open tenant B, and ids of A are not found in B", async () => {
    const a = await createTestTenant("iso-a");
    const b = await createTestTenant("iso-b");
    const user = (await scim(a, "POST", "/Users", oktaUser("shared.name@acme.test"))).body;
    const group = (await scim(a, "POST", "/Groups", { displayName: "A-team", members: [{ value: user.id }] })).body;

    const crossToken = await scim(b, "GET", "/Users", undefined, { headers: { Authorization: `Bearer ${a.token}` } });
    expect(crossToken.status).toBe(401);

    expect((await scim(b, "GET", `/Users/${user.id}`)).status).toBe(404);
    expect((await scim(b, "PUT", `/Users/${user.id}`, oktaUser("shared.name@acme.test"))).status).toBe(404);
    expect((await scim(b, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }))).status).toBe(404);
    expect((await scim(b, "DELETE", `/Users/${user.id}`)).status).toBe(404);
    expect((await scim(b, "GET", `/Groups/${group.id}`)).status).toBe(404);
    expect((await scim(b, "GET", `/Users?filter=${encodeURIComponent(`id eq "${user.id}"`)}`)).body.totalResults).toBe(0);

    // The same userName is free in B, and B cannot link A's user into its own group.
    expect((await scim(b, "POST", "/Users", oktaUser("shared.name@acme.test"))).status).toBe(201);
    const bGroup = await scim(b, "POST", "/Groups", { displayName: "B-team", members: [{ value: user.id }] });
    expect(bGroup.status).toBe(400);
    expect(bGroup.body.scimType).toBe("invalidValue");
    const bGroupOk = (await scim(b, "POST", "/Groups", { displayName: "B-team" })).body;
    const link = await scim(b, "PATCH", `/Groups/${bGroupOk.id}`, patchBody({ op: "add", path: "members", value: [{ value: user.id }] }));
    expect(link.status).toBe(400);

    // A is untouched by all of it.
    const aUser = await scim(a, "GET", `/Users/${user.id}`);
    expect(aUser.body.active).toBe(true);
    expect(aUser.body.meta.version).toBe('W/"1"');
    expect((await scim(a, "GET", "/Users")).body.totalResults).toBe(1);
  });

  it("a tenant's Durable Object refuses writes for another tenant", async () => {
    const a = await createTestTenant("do-a");
    await scim(a, "POST", "/Users", oktaUser("first@acme.test"));
    const stub = env.TENANT_DO.get(env.TENANT_DO.idFromName(a.id));
    await runInDurableObject(stub, async (instance) => {
      await expect(
        (instance as TenantDurableObject).applyScimWrite({ tenantId: "tn_other", actor: "test", requestId: "req_test", baseUrl: "http://x" }, "0".repeat(64), { action: "createUser", body: oktaUser("x@acme.test") }),
      ).rejects.toThrow(/another tenant/);
    });
  });
});

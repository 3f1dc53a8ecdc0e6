/** One writer per tenant: concurrent IdP requests are applied one at a time, so nothing races or is lost. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, patchBody, scim } from "../helpers/tenant";

describe("per-tenant serialisation", () => {
  it("20 concurrent POSTs of one userName: exactly one 201 and nineteen 409s", async () => {
    const tenant = await createTestTenant();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => scim(tenant, "POST", "/Users", oktaUser("same.person@acme.test", { externalId: `ext-${i}` }))),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const reply of replies.filter((r) => r.status === 409)) expect(reply.body.scimType).toBe("uniqueness");
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE tenant_id = ?").bind(tenant.id).first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it("concurrent creates commit together (one D1 round trip per batch) with the same outcomes as one by one", async () => {
    const tenant = await createTestTenant();
    const deactivated = (await scim(tenant, "POST", "/Users", oktaUser("returning@acme.test", { externalId: "00u-returning" }))).body;
    await scim(tenant, "PATCH", `/Users/${deactivated.id}`, patchBody({ op: "replace", value: { active: false } }));
    const names = Array.from({ length: 20 }, (_, i) => `batch${i}@acme.test`);
    const replies = await Promise.all([
      ...names.map((name) => scim(tenant, "POST", "/Users", oktaUser(name))),
      scim(tenant, "POST", "/Users", oktaUser("batch3@acme.test", { externalId: "dup" })), // a duplicate inside the burst
      scim(tenant, "POST", "/Users", oktaUser("returning@acme.test", { externalId: "00u-returning" })), // a restore inside it
    ]);
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(21);
    expect(statuses.filter((s) => s === 409)).toHaveLength(1);
    expect(replies.at(-1)!.body).toMatchObject({ id: deactivated.id, active: true });
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE tenant_id = ?").bind(tenant.id).first<{ n: number }>();
    expect(count?.n).toBe(21);
    const audits = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'user.created'").bind(tenant.id).first<{ n: number }>();
    expect(audits?.n).toBe(21); // 20 new and the first "returning"; the rejected duplicate left no row
  });

  it("20 concurrent membership PATCHes on one group lose nothing", async () => {
    const tenant = await createTestTenant();
    const users = [];
    for (let i = 0; i < 20; i++) users.push((await scim(tenant, "POST", "/Users", oktaUser(`member${i}@acme.test`))).body);
    const group = await scim(tenant, "POST", "/Groups", { displayName: "Everyone" });
    const replies = await Promise.all(
      users.map((user) =>
        scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "add", path: "members", value: [{ value: user.id }] }, { op: "replace", value: { displayName: "Everyone" } })),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(204));
    const after = await scim(tenant, "GET", `/Groups/${group.body.id}`);
    expect(after.body.members.map((m: { value: string }) => m.value).sort()).toEqual(users.map((u) => u.id).sort());
    expect(after.body.meta.version).toBe('W/"21"');

    // And concurrent removals of half of them leave exactly the other half.
    await Promise.all(
      users.slice(0, 10).map((user) => scim(tenant, "PATCH", `/Groups/${group.body.id}`, patchBody({ op: "remove", path: `members[value eq "${user.id}"]` }))),
    );
    const half = await scim(tenant, "GET", `/Groups/${group.body.id}`);
    expect(half.body.members.map((m: { value: string }) => m.value).sort()).toEqual(users.slice(10).map((u) => u.id).sort());
  });

  it("concurrent creates of one group name give one group", async () => {
    const tenant = await createTestTenant();
    const replies = await Promise.all(Array.from({ length: 10 }, () => scim(tenant, "POST", "/Groups", { displayName: "Race" })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it("every write leaves one audit row, in order", async () => {
    const tenant = await createTestTenant();
    const user = (await scim(tenant, "POST", "/Users", oktaUser("audited@acme.test"))).body;
    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } }));
    await scim(tenant, "PATCH", `/Users/${user.id}`, patchBody({ op: "replace", value: { active: false } })); // no change: no row
    await scim(tenant, "DELETE", `/Users/${user.id}`);
    const rows = await env.DB.prepare("SELECT action, actor FROM audit_log WHERE tenant_id = ? AND resource_type = 'User' ORDER BY at, rowid").bind(tenant.id).all<{ action: string; actor: string }>();
    expect(rows.results.map((r) => r.action)).toEqual(["user.created", "user.deactivated", "user.deleted"]);
    expect(rows.results.every((r) => /^scim:tok_/.test(r.actor))).toBe(true);
  });
});

/**
 * The host app's directory API through the real worker: keys issued and revoked by the operator, users, groups,
 * members and events read page by page, refusals (no key, a revoked key, another tenant's key) and hostile query
 * parameters answered as JSON 4xx — never a 500, never another tenant's rows.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";

interface DirectoryReply {
  status: number;
  body: any;
  headers: Headers;
}

async function issueKey(tenant: TestTenant): Promise<string> {
  const issued = await operator("POST", `/tenants/${tenant.slug}/api-keys`);
  expect(issued.status).toBe(201);
  return issued.body.key;
}

async function directory(tenant: TestTenant, path: string, key: string | null, host = `${tenant.slug}.localhost`): Promise<DirectoryReply> {
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  const response = await SELF.fetch(`http://${host}/api/directory${path}`, { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text: the assertions below say what was expected.
  }
  return { status: response.status, body, headers: response.headers };
}

async function createUser(tenant: TestTenant, userName: string): Promise<string> {
  const created = await scim(tenant, "POST", "/Users", oktaUser(userName));
  expect(created.status).toBe(201);
  return created.body.id;
}

async function createGroup(tenant: TestTenant, displayName: string, memberIds: string[]): Promise<string> {
  const created = await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, members: memberIds.map((value) => ({ value })) });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe("directory API keys", () => {
  it("are issued once by the operator, stored as a hash, listed by hint", async () => {
    const tenant = await createTestTenant("dirkey");
    const issued = await operator("POST", `/tenants/${tenant.slug}/api-keys`);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ id: expect.stringMatching(/^key_/), hint: expect.stringMatching(/^gh_api_.{4}…$/), directoryUrl: `${tenant.origin}/api/directory` });
    expect(issued.body.key).toMatch(/^gh_api_[A-Za-z0-9_-]{43}$/);
    const stored = await env.DB.prepare("SELECT key_hash FROM api_keys WHERE tenant_id = ?").bind(tenant.id).all<{ key_hash: string }>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await operator("GET", `/tenants/${tenant.slug}/api-keys`);
    expect(listed.body.keys).toEqual([{ id: issued.body.id, hint: issued.body.hint, status: "active", createdAt: issued.body.createdAt, revokedAt: null, lastUsedAt: null }]);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.key);
  });

  it("records when a key was last used", async () => {
    const tenant = await createTestTenant("dirused");
    const key = await issueKey(tenant);
    expect((await directory(tenant, "/users", key)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the update is not awaited by the request
    const listed = await operator("GET", `/tenants/${tenant.slug}/api-keys`);
    expect(Date.parse(listed.body.keys[0].lastUsedAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it("a revoked key is refused by the very next request; the others keep working", async () => {
    const tenant = await createTestTenant("dirrevoke");
    const first = await operator("POST", `/tenants/${tenant.slug}/api-keys`);
    const second = await issueKey(tenant);
    expect((await directory(tenant, "/users", first.body.key)).status).toBe(200);
    const revoked = await operator("DELETE", `/tenants/${tenant.slug}/api-keys/${first.body.id}`);
    expect(revoked).toEqual({ status: 200, body: { revoked: true, id: first.body.id } });
    const refused = await directory(tenant, "/users", first.body.key);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: expect.any(String), code: "revoked_api_key" });
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="gatehouse-directory", error="invalid_token"');
    expect((await directory(tenant, "/users", second)).status).toBe(200);
    // Revoking twice, or an unknown id, is a 404 with a code.
    expect(await operator("DELETE", `/tenants/${tenant.slug}/api-keys/${first.body.id}`)).toMatchObject({ status: 404, body: { code: "api_key_not_found" } });
    const listed = await operator("GET", `/tenants/${tenant.slug}/api-keys`);
    expect(listed.body.keys.find((k: { id: string }) => k.id === first.body.id).status).toBe("revoked");
  });

  it.each([
    ["no Authorization header", null, "missing_api_key", 'Bearer realm="gatehouse-directory"'],
    ["a key never issued", "gh_api_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "unknown_api_key", 'Bearer realm="gatehouse-directory", error="invalid_token"'],
    ["a value not shaped like a key", "gh_api_short", "unknown_api_key", 'Bearer realm="gatehouse-directory", error="invalid_token"'],
  ])("%s → 401 with a Bearer challenge", async (_, key, code, challenge) => {
    const tenant = await createTestTenant("dir401");
    const reply = await directory(tenant, "/users", key);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: expect.any(String), code });
    expect(reply.headers.get("www-authenticate")).toBe(challenge);
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });

  it("neither another tenant's key nor the tenant's SCIM token opens its directory", async () => {
    const tenant = await createTestTenant("dirmine");
    const other = await createTestTenant("dirother");
    await createUser(tenant, "only.mine@acme.test");
    const otherKey = await issueKey(other);
    expect(await directory(tenant, "/users", otherKey)).toMatchObject({ status: 401, body: { code: "unknown_api_key" } });
    expect((await directory(tenant, "/users", tenant.token)).status).toBe(401);
    // Other schemes are not read: the key goes in a Bearer header only.
    const basic = await SELF.fetch(`http://${tenant.slug}.localhost/api/directory/users`, { headers: { Authorization: `Basic ${btoa(`x:${await issueKey(tenant)}`)}` } });
    expect(basic.status).toBe(401);
    // The other tenant's key reads its own, empty directory.
    expect(await directory(other, "/users", otherKey)).toMatchObject({ status: 200, body: { users: [], next: null } });
  });

  it("is served on tenant hosts only, and unknown directory paths are JSON 404s", async () => {
    const tenant = await createTestTenant("dirhost");
    const key = await issueKey(tenant);
    expect((await directory(tenant, "/users", key, "localhost")).status).toBe(404);
    expect(await directory(tenant, "/nothing-here", key)).toMatchObject({ status: 404, body: { code: "not_found" } });
  });
});

describe("GET /api/directory/users and /groups", () => {
  it("pages users with their groups, roles and emails, in creation order", async () => {
    const tenant = await createTestTenant("dirusers");
    const ids = [await createUser(tenant, "ada.lovelace@acme.test"), await createUser(tenant, "alan.turing@acme.test"), await createUser(tenant, "grace.hopper@acme.test")];
    const groupId = await createGroup(tenant, "Engineering", [ids[0]!, ids[2]!]);
    expect((await scim(tenant, "PATCH", `/Users/${ids[1]}`, patchBody({ op: "add", path: "roles", value: [{ value: "admin" }] }))).status).toBe(200);
    const key = await issueKey(tenant);

    const first = await directory(tenant, "/users?limit=2", key);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(first.body.users.map((u: { id: string }) => u.id)).toEqual(ids.slice(0, 2));
    expect(first.body.users[0]).toEqual({
      id: ids[0],
      userName: "ada.lovelace@acme.test",
      externalId: expect.stringMatching(/^00u/),
      active: true,
      displayName: "ada lovelace",
      emails: [{ value: "ada.lovelace@acme.test", type: "work", primary: true }],
      name: { givenName: "ada", familyName: "lovelace" },
      groups: [{ id: groupId, displayName: "Engineering" }],
      roles: [],
      source: "scim",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(first.body.users[1].roles).toEqual(["admin"]);
    expect(typeof first.body.next).toBe("string");

    const second = await directory(tenant, `/users?limit=2&cursor=${encodeURIComponent(first.body.next)}`, key);
    expect(second.status).toBe(200);
    expect(second.body.users.map((u: { id: string }) => u.id)).toEqual([ids[2]]);
    expect(second.body.next).toBeNull();

    // The default page holds all three.
    expect((await directory(tenant, "/users", key)).body.users).toHaveLength(3);
  });

  it("pages groups with member counts, and a group's members by cursor", async () => {
    const tenant = await createTestTenant("dirgroups");
    const ids: string[] = [];
    for (const name of ["m.one", "m.two", "m.three"]) ids.push(await createUser(tenant, `${name}@acme.test`));
    const engineering = await createGroup(tenant, "Engineering", ids);
    const sales = await createGroup(tenant, "Sales", []);
    const key = await issueKey(tenant);

    const first = await directory(tenant, "/groups?limit=1", key);
    expect(first.body.groups).toEqual([{ id: engineering, displayName: "Engineering", externalId: null, memberCount: 3, createdAt: expect.any(String), updatedAt: expect.any(String) }]);
    const second = await directory(tenant, `/groups?limit=1&cursor=${encodeURIComponent(first.body.next)}`, key);
    expect(second.body.groups.map((g: { id: string; memberCount: number }) => [g.id, g.memberCount])).toEqual([[sales, 0]]);
    expect(second.body.next).toBeNull();

    const members: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: DirectoryReply = await directory(tenant, `/groups/${engineering}/members?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, key);
      expect(page.status).toBe(200);
      expect(page.body.members.length).toBeLessThanOrEqual(2);
      members.push(...page.body.members.map((m: { id: string }) => m.id));
      cursor = page.body.next;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(2);
    expect(members.sort()).toEqual([...ids].sort());
    const one = (await directory(tenant, `/groups/${engineering}/members?limit=1`, key)).body.members[0];
    expect(one).toEqual({ id: expect.stringMatching(/^usr_/), userName: expect.stringMatching(/@acme\.test$/), externalId: expect.any(String), displayName: expect.any(String), active: true, addedAt: expect.any(String) });

    expect(await directory(tenant, "/groups/grp_doesnotexist/members", key)).toMatchObject({ status: 404, body: { code: "group_not_found" } });
  });

  it("a group of another tenant is not found, even with its exact id", async () => {
    const tenant = await createTestTenant("dirgrpa");
    const other = await createTestTenant("dirgrpb");
    const foreign = await createGroup(other, "Theirs", [await createUser(other, "their.user@other.test")]);
    const key = await issueKey(tenant);
    expect(await directory(tenant, `/groups/${foreign}/members`, key)).toMatchObject({ status: 404, body: { code: "group_not_found" } });
    expect((await directory(tenant, "/groups", key)).body.groups).toEqual([]);
  });
});

describe("GET /api/directory/events", () => {
  it("shows a SCIM create and deactivate in commit order, and resumes after the last seq seen", async () => {
    const tenant = await createTestTenant("direvents");
    const userId = await createUser(tenant, "leaving.soon@acme.test");
    expect((await scim(tenant, "PATCH", `/Users/${userId}`, patchBody({ op: "replace", value: { active: false } }))).status).toBe(200);
    const key = await issueKey(tenant);

    const all = await directory(tenant, "/events", key);
    expect(all.status).toBe(200);
    expect(all.body.next).toBeNull();
    const [created, deactivated] = all.body.events;
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual(["user.created", "user.deactivated"]);
    expect(created).toEqual({
      seq: expect.any(Number),
      id: expect.stringMatching(/^aud_/),
      type: "user.created",
      occurredAt: expect.any(String),
      resource: { type: "User", id: userId },
      data: { userName: "leaving.soon@acme.test", active: true },
      delivery: { status: expect.stringMatching(/^(pending|delivered|failed)$/), attempts: expect.any(Number) },
    });
    expect(deactivated.seq).toBeGreaterThan(created.seq);
    expect(deactivated.resource).toEqual({ type: "User", id: userId });

    const paged = await directory(tenant, "/events?limit=1", key);
    expect(paged.body.events.map((e: { seq: number }) => e.seq)).toEqual([created.seq]);
    expect(paged.body.next).toBe(String(created.seq));
    const rest = await directory(tenant, `/events?after=${paged.body.next}`, key);
    expect(rest.body.events.map((e: { seq: number }) => e.seq)).toEqual([deactivated.seq]);
    expect(await directory(tenant, `/events?after=${deactivated.seq}`, key)).toMatchObject({ status: 200, body: { events: [], next: null } });

    // Another tenant's events never appear, whatever `after` says.
    const other = await createTestTenant("direvother");
    const otherKey = await issueKey(other);
    expect((await directory(other, "/events?after=0", otherKey)).body.events).toEqual([]);
  });
});

describe("hostile query parameters", () => {
  it.each([
    ["/users?limit=100000", "invalid_limit"],
    ["/users?limit=501", "invalid_limit"],
    ["/users?limit=abc", "invalid_limit"],
    ["/users?limit=0", "invalid_limit"],
    ["/users?limit=-1", "invalid_limit"],
    ["/users?limit=1e2", "invalid_limit"],
    ["/users?limit=", "invalid_limit"],
    ["/groups?limit=%20%2010", "invalid_limit"],
    ["/users?cursor=garbage", "invalid_cursor"],
    ["/users?cursor=1.x%27%3B%20DROP%20TABLE%20users%3B--", "invalid_cursor"],
    ["/groups/grp_x/members?cursor=a%20OR%201%3D1", "invalid_cursor"],
    ["/events?after=-1", "invalid_after"],
    ["/events?after=1.5", "invalid_after"],
    ["/events?after=0x10", "invalid_after"],
    ["/events?after=99999999999999999999", "invalid_after"],
    ["/events?after=1%20OR%201%3D1", "invalid_after"],
    ["/events?after=%27%20OR%20%271%27%3D%271", "invalid_after"],
    ["/events?after=1;DELETE%20FROM%20events", "invalid_after"],
    ["/events?limit=100000&after=0", "invalid_limit"],
  ])("%s → 400 %s", async (path, code) => {
    const tenant = await createTestTenant("dirbad");
    const key = await issueKey(tenant);
    const reply = await directory(tenant, path, key);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: expect.any(String), code });
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });

  it("the largest limit and a far-away position are fine", async () => {
    const tenant = await createTestTenant("dirbig");
    const key = await issueKey(tenant);
    expect(await directory(tenant, "/users?limit=500", key)).toMatchObject({ status: 200, body: { users: [], next: null } });
    expect(await directory(tenant, "/events?after=999999999999999&limit=500", key)).toMatchObject({ status: 200, body: { events: [], next: null } });
    expect(await directory(tenant, "/groups?cursor=9999999999999.grp_zzz", key)).toMatchObject({ status: 200, body: { groups: [], next: null } });
  });
});

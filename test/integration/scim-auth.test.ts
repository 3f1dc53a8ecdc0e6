/** SCIM authentication modes, token rotation and revocation, and the per-tenant rate limit. */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTestTenant, operator, scim } from "../helpers/tenant";

describe("SCIM authentication", () => {
  it("accepts the three shapes Okta offers: Bearer, the bare token, and Basic with the token as password", async () => {
    const tenant = await createTestTenant();
    const shapes = [`Bearer ${tenant.token}`, `bearer ${tenant.token}`, tenant.token, `Basic ${btoa(`okta:${tenant.token}`)}`, `Basic ${btoa(`:${tenant.token}`)}`];
    for (const authorization of shapes) {
      const reply = await scim(tenant, "GET", "/Users", undefined, { headers: { Authorization: authorization } });
      expect(reply.status, authorization).toBe(200);
    }
  });

  it.each([
    ["no header", undefined],
    ["a wrong token", "Bearer gh_scim_wrongwrongwrongwrongwrongwrongwrongwrongwro"],
    ["an empty bearer", "Bearer "],
    ["Basic with a wrong password", `Basic ${btoa("okta:nope")}`],
    ["Basic that is not base64", "Basic !!!"],
    ["an unknown scheme", "Digest abc"],
  ])("%s → 401 SCIM error with a challenge, nothing read", async (_, authorization) => {
    const tenant = await createTestTenant();
    const headers: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
    const response = await SELF.fetch(`http://${tenant.slug}.localhost/okta/scim/v2/Users`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="scim", Basic realm="scim"');
    expect(response.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(await response.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  });

  it("records when a token was last used", async () => {
    const tenant = await createTestTenant();
    const before = await operator("GET", `/tenants/${tenant.slug}/scim-tokens`);
    expect(before.body.tokens[0].lastUsedAt).toBeNull();
    await scim(tenant, "GET", "/Users");
    await new Promise((resolve) => setTimeout(resolve, 50)); // the update runs in waitUntil
    const after = await operator("GET", `/tenants/${tenant.slug}/scim-tokens`);
    expect(Date.parse(after.body.tokens[0].lastUsedAt)).toBeGreaterThan(Date.now() - 10_000);
  });
});

describe("token rotation and revocation", () => {
  it("a new token with a grace period keeps the old one working until it ends", async () => {
    const tenant = await createTestTenant();
    const rotated = await operator("POST", `/tenants/${tenant.slug}/scim-tokens`, { graceSeconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.token).toMatch(/^gh_scim_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(rotated.body.previousTokensExpireAt)).toBeGreaterThan(Date.now() + 3500_000);
    expect((await scim(tenant, "GET", "/Users")).status).toBe(200);
    expect((await scim({ ...tenant, token: rotated.body.token }, "GET", "/Users")).status).toBe(200);
    const list = await operator("GET", `/tenants/${tenant.slug}/scim-tokens`);
    expect(list.body.tokens.map((t: { status: string }) => t.status)).toEqual(["active", "expiring"]);
    // Only the hash is stored.
    const stored = await env.DB.prepare("SELECT token_hash FROM scim_tokens WHERE tenant_id = ?").bind(tenant.id).all<{ token_hash: string }>();
    expect(stored.results.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash) && row.token_hash !== rotated.body.token)).toBe(true);
  });

  it("graceSeconds 0 stops the previous token at once; revoke stops a token", async () => {
    const tenant = await createTestTenant();
    const rotated = await operator("POST", `/tenants/${tenant.slug}/scim-tokens`, { graceSeconds: 0 });
    const old = await scim(tenant, "GET", "/Users");
    expect(old.status).toBe(401);
    expect(old.body.detail).toMatch(/revoked/);
    const current = { ...tenant, token: rotated.body.token };
    expect((await scim(current, "GET", "/Users")).status).toBe(200);
    const revoked = await operator("DELETE", `/tenants/${tenant.slug}/scim-tokens/${rotated.body.id}`);
    expect(revoked.body).toEqual({ revoked: true, id: rotated.body.id });
    expect((await scim(current, "GET", "/Users")).status).toBe(401);
    expect((await operator("DELETE", `/tenants/${tenant.slug}/scim-tokens/${rotated.body.id}`)).status).toBe(404);
  });

  it("rejects a grace period outside 0..30 days", async () => {
    const tenant = await createTestTenant();
    for (const graceSeconds of [-1, 1.5, "24h", 31 * 24 * 3600]) {
      const reply = await operator("POST", `/tenants/${tenant.slug}/scim-tokens`, { graceSeconds });
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe("invalid_grace");
    }
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After and a SCIM body once a tenant exceeds its limit, without touching other tenants", async () => {
    const busy = await createTestTenant("busy");
    const quiet = await createTestTenant("quiet");
    // The test limit is 200 requests per 10 s window per tenant (vitest.config.ts). A burst can straddle two
    // windows, so keep going (bounded) until one window is full.
    let limited: Awaited<ReturnType<typeof scim>> | undefined;
    for (let i = 0; i < 1000 && !limited; i += 25) {
      const replies = await Promise.all(Array.from({ length: 25 }, () => scim(busy, "GET", "/ServiceProviderConfig")));
      limited = replies.find((reply) => reply.status === 429);
    }
    expect(limited).toBeDefined();
    expect(limited!.headers.get("retry-after")).toBe("10");
    expect(limited!.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429" });
    expect((await scim(quiet, "GET", "/ServiceProviderConfig")).status).toBe(200);
  }, 60_000);
});

/** The operator API the `gatehouse` CLI drives: tenants and SCIM tokens, behind the OPERATOR_TOKEN secret. */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, operator, scim, uniqueSlug } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";
import weakPem from "../fixtures/certs/weak-rsa1024.pem?raw";
import oktaMetadata from "../fixtures/okta-metadata.xml?raw";

describe("operator API", () => {
  it("refuses a missing or wrong operator token", async () => {
    expect((await operator("GET", "/tenants", undefined, "wrong-token-wrong-token-wrong")).status).toBe(401);
    const bare = await SELF.fetch("http://localhost/_operator/tenants");
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await bare.json()).toEqual({ error: expect.any(String), code: "unauthorized" });
  });

  it("creates a tenant and shows the exact URLs to paste into Okta", async () => {
    const slug = uniqueSlug("acme");
    const created = await operator("POST", "/tenants", { slug, name: "Acme Corp" });
    expect(created.status).toBe(201);
    const origin = `http://${slug}.localhost`;
    expect(created.body).toEqual({
      id: expect.stringMatching(/^tn_/),
      slug,
      name: "Acme Corp",
      createdAt: expect.any(String),
      origin,
      entityId: origin,
      acsUrl: `${origin}/okta/auth`,
      scimBaseUrl: `${origin}/okta/scim/v2`,
      metadataUrl: `${origin}/okta/metadata`,
      loginUrl: `${origin}/login`,
      consoleUrl: `${origin}/settings/okta`,
    });
    const shown = await operator("GET", `/tenants/${slug}`);
    expect(shown.body).toEqual(created.body);
    const list = await operator("GET", "/tenants");
    expect(list.body.tenants.map((t: { slug: string }) => t.slug)).toContain(slug);
    expect((await operator("POST", "/tenants", { slug })).status).toBe(409);
  });

  it("keeps the port of a local run in the URLs", async () => {
    const slug = uniqueSlug("port");
    const response = await SELF.fetch("http://127.0.0.1:8787/_operator/tenants", {
      method: "POST",
      headers: { Authorization: `Bearer ${env.OPERATOR_TOKEN}` },
      body: JSON.stringify({ slug }),
    });
    expect((await response.json<{ scimBaseUrl: string }>()).scimBaseUrl).toBe(`http://${slug}.localhost:8787/okta/scim/v2`);
  });

  it.each([
    ["ab", "too short"],
    ["a".repeat(64), "too long"],
    ["Acme", "upper case"],
    ["acme_corp", "underscore (Okta rejects it in base URLs)"],
    ["-acme", "leading hyphen"],
    ["acme-", "trailing hyphen"],
    ["ac--me", "double hyphen"],
    ["www", "reserved"],
    ["admin", "reserved"],
    ["acme.corp", "a dot"],
  ])("refuses slug %j (%s)", async (slug) => {
    const reply = await operator("POST", "/tenants", { slug });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe("invalid_slug");
  });

  it("answers bad bodies and unknown tenants with JSON errors", async () => {
    const response = await SELF.fetch("http://localhost/_operator/tenants", { method: "POST", headers: { Authorization: `Bearer ${env.OPERATOR_TOKEN}` }, body: "{not json" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_body" });
    expect((await operator("GET", "/tenants/does-not-exist")).body.code).toBe("tenant_not_found");
    expect((await operator("GET", "/nothing-here")).status).toBe(404);
  });

  it("deleting a tenant removes its directory and its tokens stop working", async () => {
    const tenant = await createTestTenant("gone");
    const user = (await scim(tenant, "POST", "/Users", oktaUser("leaving@acme.test"))).body;
    await scim(tenant, "POST", "/Groups", { displayName: "G", members: [{ value: user.id }] });
    const deleted = await operator("DELETE", `/tenants/${tenant.slug}`);
    expect(deleted.body).toEqual({ deleted: true, slug: tenant.slug, users: 1, groups: 1 });
    expect((await scim(tenant, "GET", "/Users")).status).toBe(404);
    for (const table of ["users", "groups", "group_members", "scim_tokens", "audit_log"]) {
      const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(tenant.id).first<{ n: number }>();
      expect(row?.n, table).toBe(0);
    }
    // The slug can be used again, for a new tenant with a new id.
    const again = await operator("POST", "/tenants", { slug: tenant.slug });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(tenant.id);
  });

  it("saves a SAML connection from the three values or from metadata, and refuses bad ones with per-field errors", async () => {
    const tenant = await createTestTenant("saml");
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).body.code).toBe("saml_not_configured");
    const saved = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.com/app/x/sso/saml", issuer: "http://www.okta.com/exk1", certificates: [rsaPem] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ssoUrl: "https://acme.okta.com/app/x/sso/saml", issuer: "http://www.okta.com/exk1", allowIdpInitiated: true, clockSkewSeconds: 180 });
    expect(saved.body.certificates[0]).toEqual({
      subject: expect.stringContaining("gatehouse-test"),
      issuer: expect.any(String),
      notBefore: expect.any(String),
      notAfter: expect.any(String),
      keyType: "RSA 2048",
      fingerprintSha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
    const fromMetadata = await operator("PUT", `/tenants/${tenant.slug}/saml`, { metadataXml: oktaMetadata });
    expect(fromMetadata.body.issuer).toBe("http://www.okta.com/exk1gatehousetest");
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).body).toEqual(fromMetadata.body);

    const bad = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "http://acme.okta.com/sso", issuer: "x", certificates: [weakPem] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_saml_settings");
    expect(Object.keys(bad.body.fields).sort()).toEqual(["certificates", "ssoUrl"]);
    // The refused settings changed nothing.
    expect((await operator("GET", `/tenants/${tenant.slug}/saml`)).body).toEqual(fromMetadata.body);
  });
});

/**
 * The console's webhook section on the set-up page: a URL refused beside its field (nothing saved), the signing
 * secret shown exactly once after a redirect, how deliveries are going (a failure with its reason), and removal.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signInToConsole, submit, view } from "../helpers/console";
import { createTestTenant, oktaUser, operator, scim } from "../helpers/tenant";

describe("webhook on the set-up page", () => {
  it("refuses a URL that is not https beside its field and saves nothing", async () => {
    const tenant = await createTestTenant("wh-console-bad", { scimToken: false });
    const session = await signInToConsole(tenant);
    const response = await submit(tenant, session, "/settings/okta/webhook", { url: "http://app.example.com/hooks" });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="webhookUrl-error"[^>]*>The URL must start with https:\/\//);
    expect(html).toContain('aria-describedby="webhookUrl-help webhookUrl-error"');
    expect(html).toContain('value="http://app.example.com/hooks"');
    expect(html).toContain("Nothing was saved");
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).status).toBe(404);
  });

  it("sets the webhook and shows its secret once, then the URL and how deliveries go", async () => {
    const tenant = await createTestTenant("wh-console");
    // A failed delivery, as the dead-letter consumer leaves it; marked before the webhook exists, so nothing is
    // pending when it is set and nothing is sent to the (unreachable) example URL.
    expect((await scim(tenant, "POST", "/Users", oktaUser("ada@acme.test"))).status).toBe(201);
    await env.DB.prepare("UPDATE events SET delivery_status = 'failed', attempts = 9, last_error = 'the receiver answered HTTP 500' WHERE tenant_id = ?").bind(tenant.id).run();
    const session = await signInToConsole(tenant);
    const saved = await submit(tenant, session, "/settings/okta/webhook", { url: "https://app.example.com/hooks/gatehouse" });
    expect(saved.status).toBe(303);
    const location = saved.headers.get("location")!;
    expect(location).toMatch(/^\/settings\/okta\/setup\/webhook-secret\?reveal=/);
    const shown = await view(tenant, session, location);
    expect(shown.status).toBe(200);
    const secret = /id="webhook-secret">(whsec_[A-Za-z0-9_-]{43})</.exec(shown.html)?.[1];
    expect(secret).toBeDefined();
    expect(shown.html).toContain("shown once");
    const again = await view(tenant, session, location);
    expect(again.status).toBe(410);
    expect(again.html).not.toContain(secret!);
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).body.secretHint).toBe(`whsec_…${secret!.slice(-4)}`);

    const setup = await view(tenant, session, "/settings/okta/setup");
    expect(setup.html).toContain('<code id="webhook-url">https://app.example.com/hooks/gatehouse</code>');
    expect(setup.html).toMatch(/id="webhook-deliveries">0 delivered, 0 pending, 1 failed/);
    expect(setup.html).toMatch(/id="webhook-failure"[\s\S]*the receiver answered HTTP 500/);
    expect(setup.html).not.toContain(secret!);
  });

  it("removes the webhook", async () => {
    const tenant = await createTestTenant("wh-console-remove", { scimToken: false });
    const session = await signInToConsole(tenant);
    expect((await submit(tenant, session, "/settings/okta/webhook", { url: "https://app.example.com/hooks" })).status).toBe(303);
    const removed = await submit(tenant, session, "/settings/okta/webhook/remove", {});
    expect(removed.status).toBe(303);
    const page = await view(tenant, session, removed.headers.get("location")!);
    expect(page.html).toContain("Webhook removed");
    expect(page.html).not.toContain('id="webhook-url"');
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).status).toBe(404);
    const forged = await submit(tenant, { ...session, csrf: "wrong" }, "/settings/okta/webhook", { url: "https://evil.example.com/hooks" });
    expect(forged.status).toBe(403);
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).status).toBe(404);
  });
});

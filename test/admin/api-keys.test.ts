/** Directory API keys from the console's set-up page: issued and shown exactly once, listed by hint, revoked at once. */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signInToConsole, submit, view } from "../helpers/console";
import { createTestTenant, type TestTenant } from "../helpers/tenant";

function readUsers(tenant: TestTenant, key: string): Promise<Response> {
  return SELF.fetch(`${tenant.origin}/api/directory/users`, { headers: { Authorization: `Bearer ${key}` } });
}

describe("directory API keys in the console", () => {
  it("issues a key shown once, lists it by hint, and revokes it for the very next request", async () => {
    const tenant = await createTestTenant("conkeys", { scimToken: false });
    const session = await signInToConsole(tenant);
    const setup = await view(tenant, session, "/settings/okta/setup");
    expect(setup.html).toContain('id="api-keys-heading"');

    const issued = await submit(tenant, session, "/settings/okta/api-keys", {});
    expect(issued.status).toBe(303);
    const location = issued.headers.get("location")!;
    expect(location).toMatch(/^\/settings\/okta\/setup\/api-key\?reveal=/);
    const shown = await view(tenant, session, location);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(`${tenant.origin}/api/directory`);
    const key = /id="api-key">(gh_api_[A-Za-z0-9_-]{43})</.exec(shown.html)![1]!;
    // Shown once: the same address now finds nothing.
    const again = await view(tenant, session, location);
    expect(again.status).toBe(410);
    expect(again.html).not.toContain(key);
    expect((await readUsers(tenant, key)).status).toBe(200);

    const listed = await view(tenant, session, "/settings/okta/setup");
    expect(listed.html).toContain(`${key.slice(0, 11)}…`);
    expect(listed.html).not.toContain(key);
    const keyId = /name="id" value="(key_[^"]+)"/.exec(listed.html)![1]!;

    const revoked = await submit(tenant, session, "/settings/okta/api-keys/revoke", { id: keyId });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe("/settings/okta/setup?saved=api-key-revoked");
    expect((await readUsers(tenant, key)).status).toBe(401);
    expect((await view(tenant, session, "/settings/okta/setup")).html).not.toContain(keyId);
  });

  it("refuses a revoke of a key that is not active, and forms without the CSRF token", async () => {
    const tenant = await createTestTenant("conkeysbad", { scimToken: false });
    const session = await signInToConsole(tenant);
    expect((await submit(tenant, session, "/settings/okta/api-keys/revoke", { id: "key_unknown" })).status).toBe(400);
    const forged = await submit(tenant, session, "/settings/okta/api-keys", { csrf: "forged" });
    expect(forged.status).toBe(403);
  });

  it("a reveal belongs to the session that issued the key", async () => {
    const tenant = await createTestTenant("conkeysown", { scimToken: false });
    const issuer = await signInToConsole(tenant);
    const other = await signInToConsole(tenant);
    const issued = await submit(tenant, issuer, "/settings/okta/api-keys", {});
    const location = issued.headers.get("location")!;
    expect((await view(tenant, other, location)).status).toBe(410);
  });
});

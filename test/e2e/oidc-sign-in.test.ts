/**
 * OIDC sign-in in real headless Chromium (issue 6 §2): the real worker on plain Miniflare, the real CLI to connect
 * the tenant, a real OpenID provider (oidc-provider) on loopback, and the browser following every redirect —
 * /login → the provider's authorize endpoint and its sign-in form → /oidc/callback → the session.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server";
import { requestViaHost } from "../../src/cli/host-request";
import { startOidcProvider } from "../support/oidc/provider-server";
import { oktaUser } from "../support/scim-bodies";
import { launchBrowser, type E2eBrowser } from "./browser";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/gatehouse.mjs", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots-oidc/", import.meta.url));

let server: LocalServer;
let chromium: E2eBrowser;
let provider: { server: Server; issuer: string };

beforeAll(async () => {
  [server, chromium, provider] = await Promise.all([startLocalServer({ port: 0 }), launchBrowser(SCREENSHOTS), startOidcProvider()]);
});

afterAll(async () => {
  await chromium?.close();
  await server?.dispose();
  provider?.server.closeAllConnections();
  await new Promise<void>((resolve) => (provider ? provider.server.close(() => resolve()) : resolve()));
});

function cliJson(args: string[]): Promise<Record<string, unknown>> {
  const argv = [BIN, ...args, "--url", server.url, `--operator-token=${server.operatorToken}`, "--json"];
  const { GATEHOUSE_OPERATOR_TOKEN: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { cwd: REPO_ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`gatehouse ${args.join(" ")}: ${stderr}${stdout}`));
      else resolve(JSON.parse(stdout.trim()) as Record<string, unknown>);
    });
  });
}

describe("OIDC sign-in in the browser", () => {
  it("follows /login through the provider's sign-in form back to a session", async () => {
    const slug = `oidc-${randomBytes(4).toString("hex")}`;
    const origin = `http://${slug}.localhost:${server.port}`;
    await cliJson(["tenant", "create", slug]);
    const { token } = (await cliJson(["scim-token", "issue", slug])) as { token: string };
    const registered = await fetch(`${provider.issuer}/reg`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ redirect_uris: [`${origin}/oidc/callback`], token_endpoint_auth_method: "client_secret_basic", grant_types: ["authorization_code"], response_types: ["code"] }),
    });
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    await cliJson(["oidc", "set", slug, "--issuer", provider.issuer, "--client-id", client.client_id, "--client-secret", client.client_secret]);
    const created = await requestViaHost(origin, "/okta/scim/v2/Users", { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" }, body: JSON.stringify(oktaUser("ada@e2e.test")) });
    expect(created.status).toBe(201);
    await fetch(`${provider.issuer}/_test/accounts/${encodeURIComponent("ada@e2e.test")}`, { method: "PUT", body: JSON.stringify({ groups: ["Analytical Engines"], givenName: "Ada", familyName: "Lovelace" }) });

    const context = await chromium.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/login?return_to=/api/session`);
    expect(page.url().startsWith(`${provider.issuer}/interaction/`)).toBe(true);
    await chromium.screenshot(page, "provider-sign-in");
    await page.fill("#login", "ada@e2e.test");
    await Promise.all([page.waitForURL(`${origin}/api/session`), page.click("button[type=submit]")]);
    await chromium.screenshot(page, "session");
    const session = JSON.parse((await page.locator("body").innerText()).trim()) as { user: Record<string, unknown> };
    expect(session.user).toMatchObject({ email: "ada@e2e.test", groups: ["Analytical Engines"], amr: ["oidc"] });
    await context.close();
  });
});

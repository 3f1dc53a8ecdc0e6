/**
 * Host-app API keys from the console's set-up page: issue (the key is shown once, on the GET after a redirect, so
 * a reload cannot issue another or show it again) and revoke. Both go through the tenant's Durable Object, which
 * holds the authoritative key set: a revoked key is refused by the very next directory request.
 */
import { tenantWriter } from "../tenant-do/stub";
import { consoleMessage, consoleMeta, readConsoleForm, type ConsoleApp, takeRevealedSecret } from "./context";
import { ApiKeyPage } from "./pages/api-keys";

/** Reveal ids are 43 characters (token-reveals.ts); anything much longer is not one. */

export function registerApiKeyRoutes(app: ConsoleApp): void {
  app.post("/api-keys", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const reveal = await tenantWriter(c.env, c.var.tenant.id).issueApiKeyForConsole(consoleMeta(c), c.var.adminSession.id);
    return c.redirect(`/settings/okta/setup/api-key?reveal=${encodeURIComponent(reveal)}`, 303);
  });

  app.get("/setup/api-key", async (c) => {
    const apiKey = await takeRevealedSecret(c);
    return c.html(<ApiKeyPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} origin={c.var.origin} apiKey={apiKey} />, apiKey ? 200 : 410);
  });

  app.post("/api-keys/revoke", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const id = form.get("id") ?? "";
    const revoked = id.length > 0 && id.length <= 100 && (await tenantWriter(c.env, c.var.tenant.id).revokeApiKey(consoleMeta(c), id));
    if (!revoked) return consoleMessage(c, 400, "Key not revoked", "That key is not active (the page may be out of date). Reload and try again.");
    return c.redirect("/settings/okta/setup?saved=api-key-revoked", 303);
  });
}

/**
 * "Test sign-in" (issue 4 §2): starts an SP-initiated sign-in whose RelayState comes back to the console, and
 * shows the first attempt logged since — a success with who signed in, or the failure in plain words with the
 * precise detail the admin needs (expected vs received, IdP clock vs edge clock).
 */
import type { Context } from "hono";
import { openDatabase } from "../db/client";
import type { TenantEnv } from "../env";
import { listAttempts } from "../saml/attempts";
import { spSignInRedirect, TEST_SIGN_IN_RESULT_PATH } from "../saml/routes";
import { loadSamlSettings } from "../saml/settings-store";
import { consoleMessage, readConsoleForm, type ConsoleApp } from "./context";
import { TestSignInResultPage } from "./pages/test-sign-in";

export function registerTestSignInRoutes(app: ConsoleApp): void {
  app.post("/test-sign-in", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const settings = await loadSamlSettings(openDatabase(c.env.DB), c.var.tenant.id);
    if (!settings) return consoleMessage(c, 409, "Not connected yet", "Save Okta's values first; then test the sign-in.");
    const since = Date.now();
    const location = await spSignInRedirect(c as unknown as Context<TenantEnv>, settings, `${TEST_SIGN_IN_RESULT_PATH}?since=${since}`);
    return c.redirect(location, 303);
  });

  app.get("/test-sign-in/result", async (c) => {
    const since = Number(c.req.query("since"));
    if (!Number.isSafeInteger(since) || since <= 0) return consoleMessage(c, 400, "No test sign-in", "Start a test from the set-up page.");
    const [attempt] = await listAttempts(openDatabase(c.env.DB), c.var.tenant.id, { since, limit: 1 });
    return c.html(<TestSignInResultPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} attempt={attempt} since={since} />);
  });
}

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
import { authorizeUrl } from "../oidc/sign-in";
import { loadOidcSettings, refreshDiscoveryIfStale } from "../oidc/settings-store";
import { consoleMessage, consoleMeta, readConsoleForm, type ConsoleApp } from "./context";
import { TestSignInResultPage } from "./pages/test-sign-in";

export function registerTestSignInRoutes(app: ConsoleApp): void {
  app.post("/test-sign-in", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const since = Date.now();
    const returnTo = `${TEST_SIGN_IN_RESULT_PATH}?since=${since}`;
    const oidc = await loadOidcSettings(c.env, c.var.tenant.id);
    if (oidc) {
      // OIDC: the same start as GET /login, with the result page as the return path. A failed callback shows the
      // sign-in failure page rather than coming back here; the attempt is logged either way.
      const fresh = await refreshDiscoveryIfStale(c.env, consoleMeta(c), oidc, since);
      return c.redirect(await authorizeUrl(c.env, consoleMeta(c), fresh, c.var.origin, returnTo), 303);
    }
    const settings = await loadSamlSettings(openDatabase(c.env.DB), c.var.tenant.id);
    if (!settings) return consoleMessage(c, 409, "Not connected yet", "Save Okta's values first; then test the sign-in.");
    const location = await spSignInRedirect(c as unknown as Context<TenantEnv>, settings, returnTo);
    return c.redirect(location, 303);
  });

  app.get("/test-sign-in/result", async (c) => {
    const since = Number(c.req.query("since"));
    if (!Number.isSafeInteger(since) || since <= 0) return consoleMessage(c, 400, "No test sign-in", "Start a test from the set-up page.");
    const [attempt] = await listAttempts(openDatabase(c.env.DB), c.var.tenant.id, { since, limit: 1 });
    return c.html(<TestSignInResultPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} attempt={attempt} since={since} />);
  });
}

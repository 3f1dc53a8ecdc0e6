/**
 * The admin console at `/settings/okta`. Server-rendered with Hono JSX; no external assets; every form is
 * CSRF-protected (Origin through Hono's csrf middleware, plus a per-session token). Getting in: a one-time link
 * from `gatehouse admin-link <tenant>`, or an SSO session with an admin role (access.ts). The sections register
 * their routes on the signed-in app: overview here, set-up, activity, directory, removal in their own files.
 */
import { Hono, type Context } from "hono";
import { deleteCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { TenantEnv } from "../env";
import { isSecureOrigin, requireTenantHost } from "../http/host";
import { tenantWriter } from "../tenant-do/stub";
import { tenantUrls } from "../tenants/urls";
import { registerActivityRoutes } from "./activity-routes";
import { registerApiKeyRoutes } from "./api-key-routes";
import { CONSOLE_CSS, CONSOLE_JS } from "./assets";
import { consoleForbidden, consoleMessage, consoleMeta, readConsoleForm } from "./context";
import { registerDirectoryRoutes } from "./directory-routes";
import { consoleHeaders, noStore, readForm, requireAdmin, setAdminCookie, type AdminEnv } from "./middleware";
import { SignInPage } from "./pages/sign-in";
import { registerRemoveRoutes } from "./remove-routes";
import { registerOidcSetupRoutes } from "./oidc-setup-routes";
import { registerSetupRoutes } from "./setup-routes";
import { registerTestSignInRoutes } from "./test-sign-in-routes";
import { StatusPage } from "./pages/status";
import { adminCookieName } from "./sessions";
import { loadTenantStatus } from "./status";

const LINK_REFUSALS = {
  unknown: "This sign-in link is not valid.",
  expired: "This sign-in link has expired (links work for 15 minutes).",
  used: "This sign-in link was already used (each link works once).",
} as const;

export function adminRoutes() {
  const admin = new Hono<TenantEnv>();
  // Origin (or Sec-Fetch-Site) must be this tenant's own origin on every form post, as computed from the slug.
  admin.use(requireTenantHost, consoleHeaders, noStore, csrf({ origin: (origin, c) => origin === (c as Context<TenantEnv>).var.origin }));

  admin.get("/assets/console.css", (c) => c.body(CONSOLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8" }));
  admin.get("/assets/console.js", (c) => c.body(CONSOLE_JS, 200, { "Content-Type": "text/javascript; charset=utf-8" }));

  admin.get("/sign-in", (c) => {
    const secret = c.req.query("link");
    if (!secret) return consoleMessage(c, 400, "Sign-in link incomplete", "This address is missing its one-time code. Copy the whole link.");
    return c.html(<SignInPage tenantName={c.var.tenant.name} secret={secret} />);
  });

  admin.post("/sign-in", async (c) => {
    const form = await readForm(c);
    const secret = form?.get("link");
    if (!secret || secret.length > 200) return consoleMessage(c, 400, "Sign-in failed", LINK_REFUSALS.unknown);
    const result = await tenantWriter(c.env, c.var.tenant.id).redeemAdminLink(consoleMeta(c), secret);
    if (!result.ok) return consoleMessage(c, result.reason === "unknown" ? 400 : 410, "Sign-in failed", LINK_REFUSALS[result.reason], "Ask your Gatehouse operator for a new link.");
    setAdminCookie(c, result.sessionSecret);
    return c.redirect("/settings/okta", 303);
  });

  const signedIn = new Hono<AdminEnv>();
  signedIn.use(requireAdmin(consoleForbidden));

  signedIn.get("/", async (c) => {
    const now = Date.now();
    const status = await loadTenantStatus(c.env, c.var.tenant.id, now);
    return c.html(<StatusPage tenantName={c.var.tenant.name} urls={tenantUrls(c.var.origin)} status={status} now={now} csrfToken={c.var.adminSession.csrfToken} />);
  });

  signedIn.post("/sign-out", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    await tenantWriter(c.env, c.var.tenant.id).endAdminSession(consoleMeta(c), c.var.adminSession.id);
    deleteCookie(c, adminCookieName(isSecureOrigin(c)), { path: "/", secure: isSecureOrigin(c) });
    return consoleMessage(c, 200, "Signed out", "You are signed out of the admin console.");
  });

  registerSetupRoutes(signedIn);
  registerOidcSetupRoutes(signedIn);
  registerTestSignInRoutes(signedIn);
  registerRemoveRoutes(signedIn);
  registerActivityRoutes(signedIn);
  registerDirectoryRoutes(signedIn);
  registerApiKeyRoutes(signedIn);
  admin.route("/", signedIn);
  return admin;
}

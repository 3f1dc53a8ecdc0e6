/**
 * Sessions for the host app: the public keys (`/.well-known/jwks.json`), the signed-in user (`GET /api/session`,
 * 401 otherwise) and sign-out (`POST /logout`). `/api/session` checks D1 on every call, so a SCIM deactivation
 * or a sign-out is seen by the next request; a host app that verifies tokens itself gets the same keys.
 */
import { Hono, type Context } from "hono";
import { csrf } from "hono/csrf";
import type { TenantEnv } from "../env";
import { isSecureOrigin, requireTenantHost } from "../http/host";
import { tenantWriter } from "../tenant-do/stub";
import { tenantUrls } from "../tenants/urls";
import { clearSessionCookie } from "./cookie";
import { currentSession } from "./current";
import { loadSigningKeys } from "./keys";

type SessionContext = Context<TenantEnv>;

export function sessionRoutes() {
  // Mounted at "/": middleware is attached per route, so it cannot leak onto the app's other paths.
  const sessions = new Hono<TenantEnv>();

  sessions.get("/.well-known/jwks.json", requireTenantHost, async (c) => c.json({ keys: (await loadSigningKeys(c.env)).published }, 200, { "Cache-Control": "public, max-age=300" }));

  sessions.get("/api/session", requireTenantHost, async (c) => {
    c.header("Cache-Control", "no-store");
    const current = await currentSession(c);
    if (!current) return c.json({ error: "Not signed in.", reason: "no_session" }, 401);
    if (current.state !== "valid") return c.json({ error: "The session has ended.", reason: current.state }, 401);
    const { jti: _jti, iat, exp, ...user } = current.session;
    return c.json({ user, issuedAt: new Date(iat * 1000).toISOString(), expiresAt: new Date(exp * 1000).toISOString() });
  });

  sessions.post("/logout", requireTenantHost, csrf({ origin: (origin, c) => origin === (c as SessionContext).var.origin }), async (c) => {
    const current = await currentSession(c);
    if (current) {
      await tenantWriter(c.env, c.var.tenant.id).revokeSession({ tenantId: c.var.tenant.id, actor: "session", requestId: c.var.requestId, baseUrl: tenantUrls(c.var.origin).scimBaseUrl }, current.session.jti, current.session.exp * 1000);
    }
    clearSessionCookie(c, isSecureOrigin(c));
    if ((c.req.header("accept") ?? "").includes("application/json")) return c.json({ signedOut: true });
    return c.redirect("/", 303);
  });

  return sessions;
}

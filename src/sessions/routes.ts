/**
 * Sessions for the host app: the public keys (`/.well-known/jwks.json`), the signed-in user (`GET /api/session`,
 * 401 otherwise) and sign-out (`POST /logout`). `/api/session` checks D1 on every call, so a SCIM deactivation
 * or a sign-out is seen by the next request; a host app that verifies tokens itself gets the same keys.
 */
import { Hono, type Context } from "hono";
import { csrf } from "hono/csrf";
import { openDatabase } from "../db/client";
import type { TenantEnv } from "../env";
import { requireTenantHost } from "../http/host";
import { tenantWriter } from "../tenant-do/stub";
import { tenantUrls } from "../tenants/urls";
import { clearSessionCookie, presentedSession } from "./cookie";
import { loadSigningKeys } from "./keys";
import { sessionState } from "./store";
import { verifySessionToken, type VerifiedSession } from "./tokens";

type SessionContext = Context<TenantEnv>;

const secure = (c: SessionContext) => c.var.origin.startsWith("https://");

async function currentSession(c: SessionContext): Promise<{ session: VerifiedSession; state: Awaited<ReturnType<typeof sessionState>> } | undefined> {
  const token = presentedSession(c, secure(c));
  if (!token) return undefined;
  const session = await verifySessionToken(token, await loadSigningKeys(c.env), c.var.origin, Date.now());
  if (!session || session.tid !== c.var.tenant.id) return undefined;
  return { session, state: await sessionState(openDatabase(c.env.DB), c.var.tenant.id, session) };
}

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
    clearSessionCookie(c, secure(c));
    if ((c.req.header("accept") ?? "").includes("application/json")) return c.json({ signedOut: true });
    return c.redirect("/", 303);
  });

  return sessions;
}

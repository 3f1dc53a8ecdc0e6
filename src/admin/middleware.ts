/**
 * Console request plumbing: security headers on every page, the admin session from its cookie (or an SSO admin
 * session), and CSRF checks on every form post (the per-session token, and the Origin header through Hono's csrf middleware).
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { openDatabase } from "../db/client";
import type { TenantEnv, TenantVariables } from "../env";
import { readBodyText } from "../http/body";
import { isSecureOrigin } from "../http/host";
import { timingSafeEqual } from "../lib/bytes";
import { currentSession } from "../sessions/current";
import { tenantWriter } from "../tenant-do/stub";
import { tenantUrls } from "../tenants/urls";
import { userMayAdminister } from "./access";
import { ADMIN_SESSION_TTL_MS, adminCookieName, findAdminSession, OPERATOR_LINK_SUBJECT, type AdminSession } from "./sessions";

export interface AdminVariables extends TenantVariables {
  adminSession: AdminSession;
}

export type AdminEnv = { Bindings: TenantEnv["Bindings"]; Variables: AdminVariables };

const MAX_FORM_BYTES = 64 * 1024;

/** CSP without inline script or style; no framing (clickjacking); forms post only to this origin. */
export const consoleHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    scriptSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  crossOriginOpenerPolicy: "same-origin",
});

/** Console pages are private and change often: never cached, anywhere. */
export const noStore = createMiddleware(async (c, next) => {
  await next();
  c.res.headers.set("Cache-Control", "no-store");
});

export async function readForm(c: Context): Promise<URLSearchParams | undefined> {
  const body = await readBodyText(c.req.raw, MAX_FORM_BYTES);
  return body.ok ? new URLSearchParams(body.value) : undefined;
}

export async function currentAdminSession(c: Context<TenantEnv>): Promise<AdminSession | undefined> {
  const secret = getCookie(c, adminCookieName(isSecureOrigin(c)));
  if (!secret) return undefined;
  return findAdminSession(openDatabase(c.env.DB), c.var.tenant.id, secret, Date.now());
}

export function csrfMatches(session: AdminSession, presented: string | null | undefined): boolean {
  return typeof presented === "string" && timingSafeEqual(presented, session.csrfToken);
}

/**
 * Lets an admin through or answers 403 (the console is for this tenant's admins only). Two ways in:
 *  - a console session opened with an operator's one-time link;
 *  - an SSO session of a user who holds an admin role now (access.ts). Their console session is tied to that SSO
 *    session: it is honoured only while the same user's session is valid and the role is still there, so
 *    deactivating the user, signing out or removing the role in the IdP closes the console at the next request.
 */
export function requireAdmin(forbidden: (c: Context<TenantEnv>) => Response | Promise<Response>) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const tenantContext = c as unknown as Context<TenantEnv>;
    const db = openDatabase(c.env.DB);
    let session = await currentAdminSession(tenantContext);
    if (session?.subject !== OPERATOR_LINK_SUBJECT) {
      const sso = await currentSession(tenantContext);
      const user = sso?.state === "valid" ? sso.session : undefined;
      const mayAdminister = user !== undefined && (await userMayAdminister(db, c.var.tenant.id, user.sub, user.idp_roles ?? []));
      if (session && !(mayAdminister && session.subject === user.sub)) session = undefined;
      if (!session && mayAdminister) {
        const meta = { tenantId: c.var.tenant.id, actor: `sso:${user.sub}`, requestId: c.var.requestId, baseUrl: tenantUrls(c.var.origin).scimBaseUrl };
        const opened = await tenantWriter(c.env, c.var.tenant.id).openSsoAdminSession(meta, user.sub);
        setAdminCookie(c, opened.sessionSecret);
        session = await findAdminSession(db, c.var.tenant.id, opened.sessionSecret, Date.now());
      }
    }
    if (!session) return forbidden(tenantContext);
    c.set("adminSession", session);
    await next();
  });
}

export function setAdminCookie(c: Context<TenantEnv> | Context<AdminEnv>, sessionSecret: string): void {
  const secure = isSecureOrigin(c);
  setCookie(c, adminCookieName(secure), sessionSecret, { path: "/", httpOnly: true, secure, sameSite: "Lax", maxAge: ADMIN_SESSION_TTL_MS / 1000 });
}

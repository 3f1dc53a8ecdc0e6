/**
 * Console request plumbing: security headers on every page, the admin session from its cookie, and CSRF checks
 * on every form post (the per-session token, and the Origin header through Hono's csrf middleware).
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { openDatabase } from "../db/client";
import type { TenantEnv, TenantVariables } from "../env";
import { readBodyText } from "../http/body";
import { timingSafeEqual } from "../lib/bytes";
import { adminCookieName, findAdminSession, type AdminSession } from "./sessions";

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

export function isSecureOrigin(c: Context<TenantEnv> | Context<AdminEnv>): boolean {
  return c.var.origin.startsWith("https://");
}

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

/** Loads the session or answers 403 (the console is for this tenant's admins only). */
export function requireAdmin(forbidden: (c: Context<TenantEnv>) => Response | Promise<Response>) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const session = await currentAdminSession(c as unknown as Context<TenantEnv>);
    if (!session) return forbidden(c as unknown as Context<TenantEnv>);
    c.set("adminSession", session);
    await next();
  });
}

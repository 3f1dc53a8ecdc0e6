/**
 * The session cookie: HttpOnly, SameSite=Lax (sent on the top-level navigation back from the IdP, not on
 * cross-site subrequests), host-only. `__Host-` on https pins it to this tenant's host so a sibling tenant's
 * subdomain can never set or shadow it; plain-http local runs cannot use that prefix and use the bare name.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-gh_session" : "gh_session";
}

export function setSessionCookie(c: Context, secure: boolean, token: string, expiresAt: number): void {
  setCookie(c, sessionCookieName(secure), token, { path: "/", httpOnly: true, secure, sameSite: "Lax", maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)) });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, sessionCookieName(secure), { path: "/", secure });
}

/** The session token from the cookie, or a host app's `Authorization: Bearer <token>`. */
export function presentedSession(c: Context, secure: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return bearer ?? getCookie(c, sessionCookieName(secure));
}

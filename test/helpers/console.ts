/** Admin console helpers for workerd tests: signing in with an operator link, pages, and CSRF-carrying forms. */
import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { operator, type TestTenant } from "./tenant";

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

export async function consolePage(tenant: TestTenant, path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${tenant.origin}${path}`, { redirect: "manual", ...init });
}

/** A same-origin form post, as the browser sends it from a console page. */
export function formInit(tenant: TestTenant, fields: Record<string, string>, cookie?: string): RequestInit {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Origin: tenant.origin };
  if (cookie) headers.Cookie = cookie;
  return { method: "POST", headers, body: new URLSearchParams(fields).toString() };
}

export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("no CSRF token on the page");
  return match[1]!;
}

/** Signs in with a one-time operator link; returns the console cookie and the session's CSRF token. */
export async function signInToConsole(tenant: TestTenant): Promise<ConsoleSession> {
  const link = await operator("POST", `/tenants/${tenant.slug}/admin-links`);
  const secret = new URL(link.body.url).searchParams.get("link")!;
  const response = await consolePage(tenant, "/settings/okta/sign-in", formInit(tenant, { link: secret }));
  expect(response.status).toBe(303);
  const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
  const home = await consolePage(tenant, "/settings/okta", { headers: { Cookie: cookie } });
  return { cookie, csrf: csrfOf(await home.text()) };
}

/** Posts a console form with the session's cookie and CSRF token. */
export async function submit(tenant: TestTenant, session: ConsoleSession, path: string, fields: Record<string, string>): Promise<Response> {
  return consolePage(tenant, path, formInit(tenant, { csrf: session.csrf, ...fields }, session.cookie));
}

/** GET with the session's cookie; returns status and text. */
export async function view(tenant: TestTenant, session: ConsoleSession, path: string): Promise<{ status: number; html: string; response: Response }> {
  const response = await consolePage(tenant, path, { headers: { Cookie: session.cookie } });
  return { status: response.status, html: await response.text(), response };
}

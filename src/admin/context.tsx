/**
 * What every console route shares: the write metadata the tenant's Durable Object logs, the one-message page, the
 * 403 page, and the per-session CSRF check on form posts. Route files register on the signed-in app
 * (`register…Routes(app)`) instead of mounting sub-apps, so the console's middleware runs exactly once.
 */
import type { Context, Hono } from "hono";
import type { TenantEnv } from "../env";
import { MessagePage } from "../pages/layout";
import type { WriteMeta } from "../tenant-do/tenant-do";
import { tenantWriter } from "../tenant-do/stub";
import { tenantUrls } from "../tenants/urls";
import { csrfMatches, readForm, type AdminEnv } from "./middleware";

/** Any console context: before sign-in (TenantEnv) or after (AdminEnv, which extends it). */
export type ConsoleContext = Context<TenantEnv> | Context<AdminEnv>;

export type ConsoleApp = Hono<AdminEnv>;

export function consoleMeta(c: ConsoleContext): WriteMeta {
  const session = (c as Context<AdminEnv>).var.adminSession;
  const actor = session ? `console:${session.subject}` : "console";
  return { tenantId: c.var.tenant.id, actor, requestId: c.var.requestId, baseUrl: tenantUrls(c.var.origin).scimBaseUrl };
}

export function consoleMessage(c: ConsoleContext, status: 200 | 400 | 403 | 404 | 409 | 410, title: string, text: string, hint?: string) {
  return c.html(<MessagePage title={title} tenantName={c.var.tenant.name} message={text} hint={hint} />, status);
}

export const consoleForbidden = (c: ConsoleContext) =>
  consoleMessage(c, 403, "Not allowed", "The admin console is for this organisation's administrators.", "Sign in with an admin link from your Gatehouse operator (gatehouse admin-link <tenant>), or through Okta with an admin role.");

/**
 * Reads a console form and checks its CSRF token (the Origin check already ran in Hono's csrf middleware). A
 * missing or wrong token answers 403 and the form's action is not taken; otherwise the fields are returned.
 */
export async function readConsoleForm(c: Context<AdminEnv>): Promise<URLSearchParams | Response> {
  const form = await readForm(c);
  if (!form) return consoleMessage(c, 400, "Form too large", "The form could not be read (at most 64 KB).");
  if (!csrfMatches(c.var.adminSession, form.get("csrf"))) return consoleMessage(c, 403, "Form expired", "The form expired; reload the page and try again.");
  return form;
}

/** Reveal ids are 43-character secrets; anything longer is not one of ours and is not sent to the object. */
const MAX_REVEAL_ID_LENGTH = 100;

/**
 * The secret a redirect after "issue" points at (`?reveal=`), taken from the one-time reveal store: bound to this
 * console session and handed out once, so a reload, another tab or a copied URL gets null.
 */
export async function takeRevealedSecret(c: Context<AdminEnv>): Promise<string | null> {
  const reveal = c.req.query("reveal") ?? "";
  if (reveal.length === 0 || reveal.length > MAX_REVEAL_ID_LENGTH) return null;
  return tenantWriter(c.env, c.var.tenant.id).revealSecret(c.var.tenant.id, c.var.adminSession.id, reveal);
}

/**
 * OIDC on a tenant host: the start of a sign-in (`GET /login` dispatches here for an OIDC tenant, src/saml/routes.tsx)
 * and the authorization-code callback (`GET /oidc/callback`). Success: 303 to a same-tenant path with the session
 * cookie. Failure: the same 4xx page as SAML with a short reason code, no cookie, the precise reason logged.
 */
import { Hono, type Context } from "hono";
import { consoleHeaders } from "../admin/middleware";
import type { TenantEnv } from "../env";
import { isSecureOrigin, requireTenantHost } from "../http/host";
import { safeRelayPath } from "../http/redirects";
import { MessagePage } from "../pages/layout";
import { setSessionCookie } from "../sessions/cookie";
import { loadSigningKeys } from "../sessions/keys";
import { issueSessionToken } from "../sessions/tokens";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/types";
import { tenantUrls } from "../tenants/urls";
import type { OidcConnectionSettings } from "./connection";
import { oidcFailureStatus, oidcPublicMessage, type OidcFailure } from "./errors";
import { loadFreshOidcSettings, refreshDiscoveryIfStale } from "./settings-store";
import { authorizeUrl, completeCallback, OIDC_CALLBACK_PATH } from "./sign-in";
import { isTestSignIn } from "../saml/routes";

type OidcContext = Context<TenantEnv>;

function meta(c: OidcContext): WriteMeta {
  return { tenantId: c.var.tenant.id, actor: "oidc", requestId: c.var.requestId, baseUrl: tenantUrls(c.var.origin).scimBaseUrl };
}

/** Logs the failed attempt for the admin; a console test sign-in then goes back to its result page, as SAML's does. */
async function failurePage(c: OidcContext, failure: OidcFailure, email: string | null = null, userId: string | null = null, returnTo: string | null = null) {
  await tenantWriter(c.env, c.var.tenant.id).recordSignInAttempt(meta(c), { protocol: "oidc", result: "failure", reason: failure.reason, userId, nameId: email, detail: failure.detail, requestId: c.var.requestId });
  if (isTestSignIn(returnTo)) return c.redirect(returnTo, 303);
  return c.html(
    <MessagePage title="Sign-in failed" heading={c.var.tenant.name} tenantName={c.var.tenant.name} message={oidcPublicMessage(failure.reason)} code={failure.reason} requestId={c.var.requestId} />,
    oidcFailureStatus(failure.reason),
  );
}

/** `target_link_uri` (OIDC Core §4) is absolute; only a URL on this tenant's own origin is followed (no open redirect). */
function targetLinkPath(value: string | undefined, origin: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.origin === origin ? safeRelayPath(`${url.pathname}${url.search}${url.hash}`, origin) : null;
  } catch {
    return null;
  }
}

/**
 * `GET /login` for an OIDC tenant. With `iss` it is a third-party-initiated login (OIDC Core §4, the Okta
 * dashboard tile): started only when `iss` is exactly the configured issuer, so another site cannot make this
 * tenant start sign-ins at an issuer of its choosing.
 */
export async function startOidcLogin(c: OidcContext, settings: OidcConnectionSettings) {
  const iss = c.req.query("iss");
  if (iss !== undefined && iss !== settings.issuer) return failurePage(c, { reason: "login_issuer_mismatch", detail: { iss: iss.slice(0, 256), expected: settings.issuer } });
  const fresh = await refreshDiscoveryIfStale(c.env, meta(c), settings, Date.now());
  const returnTo = safeRelayPath(c.req.query("return_to"), c.var.origin) ?? targetLinkPath(c.req.query("target_link_uri"), c.var.origin);
  c.header("Cache-Control", "no-store");
  return c.redirect(await authorizeUrl(c.env, meta(c), fresh, c.var.origin, returnTo), 302);
}

export function oidcRoutes() {
  // Mounted at "/": middleware is attached per route, so it cannot leak onto the app's other paths.
  const oidc = new Hono<TenantEnv>();

  oidc.get(OIDC_CALLBACK_PATH, requireTenantHost, consoleHeaders, async (c) => {
    c.header("Cache-Control", "no-store");
    const settings = await loadFreshOidcSettings(c.env, meta(c), Date.now());
    if (!settings) return failurePage(c, { reason: "no_oidc_connection", detail: {} });
    const result = await completeCallback(c.env, c.var.tenant, c.var.origin, meta(c), settings, new URL(c.req.url).searchParams);
    if (!result.ok) return failurePage(c, result.failure, result.email, result.userId, result.returnTo);
    const session = await issueSessionToken(result.claims, await loadSigningKeys(c.env), c.var.origin, Date.now(), null);
    setSessionCookie(c, isSecureOrigin(c), session.token, session.expiresAt);
    return c.redirect(result.returnTo ?? "/", 303);
  });

  return oidc;
}

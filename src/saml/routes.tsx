/**
 * SAML on a tenant host: the assertion consumer (`POST /okta/auth`), SP-initiated sign-in (`GET /login`) and SP
 * metadata (`GET /okta/metadata`). Success: 303 to a same-tenant path with the session cookie. Failure: a 4xx
 * page with a short reason code and the request id, no cookie, and the precise reason logged for the admin.
 */
import { Hono, type Context } from "hono";
import { consoleHeaders } from "../admin/middleware";
import { openDatabase } from "../db/client";
import type { TenantEnv } from "../env";
import { readBodyText } from "../http/body";
import { isSecureOrigin, requireTenantHost } from "../http/host";
import { safeRelayPath } from "../http/redirects";
import { MessagePage } from "../pages/layout";
import { setSessionCookie } from "../sessions/cookie";
import { loadSigningKeys } from "../sessions/keys";
import { issueSessionToken } from "../sessions/tokens";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/tenant-do";
import { tenantUrls } from "../tenants/urls";
import { consumeAssertion } from "./acs";
import { MAX_SAML_RESPONSE_CHARS } from "./acs-decode";
import { buildAuthnRequest, redirectUrl } from "./authn-request";
import { publicMessage, type SamlReason } from "./errors";
import type { SamlConnectionSettings } from "./connection";
import { loadSamlSettings } from "./settings-store";
import { spMetadata } from "./sp-metadata";
import { loadOidcSettings } from "../oidc/settings-store";
import { startOidcLogin } from "../oidc/routes";

type SamlContext = Context<TenantEnv>;

/** A form with one SAMLResponse and a RelayState: its base64 limit plus room for the rest. */
const MAX_ACS_FORM_BYTES = MAX_SAML_RESPONSE_CHARS + 8 * 1024;

function meta(c: SamlContext): WriteMeta {
  return { tenantId: c.var.tenant.id, actor: "saml", requestId: c.var.requestId, baseUrl: tenantUrls(c.var.origin).scimBaseUrl };
}

/** Problems of the user's account are 403; everything else about the response is 400. */
function failureStatus(reason: SamlReason): 400 | 403 {
  return reason === "unknown_user" || reason === "user_deactivated" || reason === "no_saml_connection" ? 403 : 400;
}

function failurePage(c: SamlContext, reason: SamlReason) {
  return c.html(
    <MessagePage title="Sign-in failed" heading={c.var.tenant.name} tenantName={c.var.tenant.name} message={publicMessage(reason)} code={reason} requestId={c.var.requestId} />,
    failureStatus(reason),
  );
}

/** Where the console's "Test sign-in" comes back to: the result is shown there, success or failure. */
export const TEST_SIGN_IN_RESULT_PATH = "/settings/okta/test-sign-in/result";

/**
 * The redirect that starts an SP-initiated sign-in: a fresh AuthnRequest whose ID the tenant's Durable Object
 * keeps (single use, short-lived), sent over HTTP-Redirect with the RelayState to come back to.
 */
export async function spSignInRedirect(c: SamlContext, settings: SamlConnectionSettings, relayState: string | null): Promise<string> {
  const urls = tenantUrls(c.var.origin);
  const request = await tenantWriter(c.env, c.var.tenant.id).createAuthnRequest(meta(c));
  const xml = buildAuthnRequest({ id: request.id, issueInstant: new Date().toISOString(), destination: settings.ssoUrl, acsUrl: urls.acsUrl, entityId: urls.entityId });
  return redirectUrl(settings.ssoUrl, xml, relayState);
}

/** A test sign-in started in the console reports its failure there too (the attempt is logged either way). */
export function isTestSignIn(relayPath: string | null): relayPath is string {
  return relayPath !== null && (relayPath === TEST_SIGN_IN_RESULT_PATH || relayPath.startsWith(`${TEST_SIGN_IN_RESULT_PATH}?`));
}

export function samlRoutes() {
  // Mounted at "/": middleware is attached per route, so it cannot leak onto the app's other paths.
  const saml = new Hono<TenantEnv>();
  const page = [requireTenantHost, consoleHeaders] as const;

  saml.post("/okta/auth", ...page, async (c) => {
    const body = await readBodyText(c.req.raw, MAX_ACS_FORM_BYTES);
    const form = body.ok ? new URLSearchParams(body.value) : undefined;
    const writer = tenantWriter(c.env, c.var.tenant.id);
    const result = body.ok
      ? await consumeAssertion(c.env, c.var.tenant, c.var.origin, meta(c), form!.get("SAMLResponse"))
      : ({ ok: false, failure: { reason: "response_too_large", detail: { limit: MAX_ACS_FORM_BYTES } }, nameId: null, userId: null, logged: false } as const);
    if (!result.ok) {
      if (!result.logged) {
        await writer.recordSignInAttempt(meta(c), { result: "failure", reason: result.failure.reason, userId: result.userId, nameId: result.nameId, detail: result.failure.detail, requestId: c.var.requestId });
      }
      const relayPath = safeRelayPath(form?.get("RelayState"), c.var.origin);
      if (isTestSignIn(relayPath)) return c.redirect(relayPath, 303);
      return failurePage(c, result.failure.reason);
    }
    const session = await issueSessionToken(result.claims, await loadSigningKeys(c.env), c.var.origin, Date.now(), result.notAfter);
    setSessionCookie(c, isSecureOrigin(c), session.token, session.expiresAt);
    return c.redirect(safeRelayPath(form!.get("RelayState"), c.var.origin) ?? "/", 303);
  });

  saml.get("/login", ...page, async (c) => {
    const settings = await loadSamlSettings(openDatabase(c.env.DB), c.var.tenant.id);
    if (!settings) {
      // A tenant has one IdP connection: SAML, or OIDC (issue 6), which starts its own redirect.
      const oidc = await loadOidcSettings(c.env, c.var.tenant.id);
      return oidc ? startOidcLogin(c, oidc) : failurePage(c, "no_saml_connection");
    }
    const relayState = safeRelayPath(c.req.query("return_to") ?? c.req.query("RelayState"), c.var.origin);
    c.header("Cache-Control", "no-store");
    return c.redirect(await spSignInRedirect(c, settings, relayState), 302);
  });

  saml.get("/okta/metadata", requireTenantHost, (c) =>
    c.body(spMetadata(tenantUrls(c.var.origin)), 200, { "Content-Type": "application/samlmetadata+xml; charset=utf-8", "Cache-Control": "public, max-age=300" }),
  );

  return saml;
}

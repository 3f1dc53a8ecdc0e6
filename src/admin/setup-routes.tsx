/**
 * Set-up (issue 4 §2): Okta's values in, the SCIM token out once, token rotation, a second certificate during an
 * IdP key rotation, and who may open the console through SSO. Validation happens here, per field, before any
 * write; the tenant's Durable Object then saves in its write lane. A refused form is answered 400 with the page
 * and every message beside its field; nothing is written. The OIDC form is in oidc-setup-routes.tsx.
 */
import type { Context } from "hono";
import { openDatabase } from "../db/client";
import type { JsonObject } from "../lib/json";
import { parseCertificate, type CertificateInfo } from "../saml/certs";
import { MAX_CERTIFICATES, validateSamlSettings, type SamlConnectionSettings } from "../saml/connection";
import { loadSamlSettings } from "../saml/settings-store";
import { loadOidcSettings } from "../oidc/settings-store";
import { tenantWriter } from "../tenant-do/stub";
import { listApiKeys } from "../tenants/api-keys";
import { summariseDeliveries } from "../events/outbox-store";
import { validateWebhookUrl } from "../events/webhook-url";
import { findWebhook } from "../events/webhooks";
import { listTokens } from "../tenants/scim-tokens";
import { tenantUrls } from "../tenants/urls";
import { loadAdminAccess, readAccessList } from "./access";
import { consoleMessage, consoleMeta, readConsoleForm, takeRevealedSecret, type ConsoleApp } from "./context";
import type { AdminEnv } from "./middleware";
import { SetupPage, type SetupPageProps } from "./pages/setup";
import { TokenPage } from "./pages/token";
import { WebhookSecretPage } from "./pages/webhook";

type SetupContext = Context<AdminEnv>;

const SAVED_NOTICES: Record<string, string> = {
  connection: "Saved. Okta can now sign your people in.",
  certificate: "Certificate added: responses signed with either certificate are accepted.",
  "certificate-removed": "Certificate removed.",
  access: "Console access saved.",
  "api-key-revoked": "API key revoked: the directory API refuses it from now on.",
  "webhook-removed": "Webhook removed: events are no longer sent to your product.",
};

/** Rotation grace the admin chooses: the old token stops now, or after a day (time to update Okta). */
const RETIRE_CHOICES: Record<string, number> = { now: 0, "24h": 24 * 3600 };

export async function renderSetup(c: SetupContext, status: 200 | 400, extra: Partial<SetupPageProps> = {}) {
  const db = openDatabase(c.env.DB);
  const now = Date.now();
  const tenantId = c.var.tenant.id;
  const [saml, oidc, tokens, access, apiKeys, webhook, deliveries] = await Promise.all([
    loadSamlSettings(db, tenantId),
    loadOidcSettings(c.env, tenantId),
    listTokens(db, tenantId, now),
    loadAdminAccess(db, tenantId),
    listApiKeys(db, tenantId),
    findWebhook(db, tenantId),
    summariseDeliveries(db, tenantId),
  ]);
  const saved = c.req.query("saved");
  const notice = saved && SAVED_NOTICES[saved] ? { kind: "ok" as const, text: SAVED_NOTICES[saved]! } : undefined;
  const asked = c.req.query("protocol");
  const protocol = asked === "saml" || asked === "oidc" ? asked : oidc ? "oidc" : "saml";
  return c.html(
    <SetupPage tenantName={c.var.tenant.name} tenantSlug={c.var.tenant.slug} urls={tenantUrls(c.var.origin)} saml={saml} oidc={oidc} protocol={protocol} tokens={tokens} access={access} apiKeys={apiKeys} webhook={webhook} deliveries={deliveries} csrfToken={c.var.adminSession.csrfToken} now={now} notice={notice} {...extra} />,
    status,
  );
}

export function formValues(form: URLSearchParams, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, form.get(name) ?? ""]));
}

/** The form as validateSamlSettings takes it: the metadata, or the three values (an empty certificate keeps the current ones). */
function connectionInput(values: Record<string, string>, current: SamlConnectionSettings | undefined): { input: JsonObject; skewError?: string } {
  const skew = values.clockSkewSeconds!.trim() === "" ? 180 : Number(values.clockSkewSeconds);
  const options: JsonObject = { allowIdpInitiated: values.allowIdpInitiated === "on", jitProvisioning: values.jitProvisioning === "on", allowSha1: current?.allowSha1 ?? false };
  const skewError = Number.isInteger(skew) && skew >= 0 && skew <= 900 ? undefined : "A whole number of seconds from 0 to 900.";
  if (!skewError) options.clockSkewSeconds = skew;
  if (values.metadataXml!.trim() !== "") return { input: { metadataXml: values.metadataXml!, ...options }, skewError };
  const certificates = values.certificate!.trim() !== "" ? [values.certificate!] : (current?.certificates.map((certificate) => certificate.base64) ?? []);
  return { input: { ssoUrl: values.ssoUrl!, issuer: values.issuer!, certificates, ...options }, skewError };
}

async function certificatePreview(text: string, now: number): Promise<CertificateInfo | undefined> {
  if (text.trim() === "") return undefined;
  const parsed = await parseCertificate(text, now);
  return parsed.ok ? parsed.certificate : undefined;
}

/** Switching protocol replaces the tenant's one connection: only with the box ticked (see ReplaceConnection). */
export const REPLACE_UNCONFIRMED = "Tick the box to replace the current connection, or switch back to its tab.";

export async function redirectToNewToken(c: SetupContext, graceSeconds: number) {
  const reveal = await tenantWriter(c.env, c.var.tenant.id).issueScimTokenForConsole(consoleMeta(c), c.var.adminSession.id, graceSeconds);
  return c.redirect(`/settings/okta/setup/token?reveal=${encodeURIComponent(reveal)}`, 303);
}

export function registerSetupRoutes(app: ConsoleApp): void {
  app.get("/setup", (c) => renderSetup(c, 200));

  app.post("/setup", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const now = Date.now();
    const db = openDatabase(c.env.DB);
    const current = await loadSamlSettings(db, c.var.tenant.id);
    const values = formValues(form, ["ssoUrl", "issuer", "certificate", "metadataXml", "allowIdpInitiated", "jitProvisioning", "clockSkewSeconds"]);
    const { input, skewError } = connectionInput(values, current);
    const result = await validateSamlSettings(input, now);
    const unconfirmed = (await loadOidcSettings(c.env, c.var.tenant.id)) !== undefined && form.get("replaceConnection") !== "on";
    if (!result.ok || skewError || unconfirmed) {
      const errors: Record<string, string> = {};
      if (unconfirmed) errors["replace-connection"] = REPLACE_UNCONFIRMED;
      if (!result.ok) {
        if (result.errors.ssoUrl) errors.ssoUrl = result.errors.ssoUrl;
        if (result.errors.issuer) errors.issuer = result.errors.issuer;
        if (result.errors.certificates) errors.certificate = result.errors.certificates;
        if (result.errors.metadataXml) errors.metadataXml = result.errors.metadataXml;
        if (result.errors.options) errors.clockSkewSeconds = result.errors.options;
      }
      if (skewError) errors.clockSkewSeconds = skewError;
      return renderSetup(c, 400, { protocol: "saml", connection: { values, errors, certificatePreview: errors.certificate ? undefined : await certificatePreview(values.certificate!, now) } });
    }
    const writer = tenantWriter(c.env, c.var.tenant.id);
    await writer.saveIdpConnection(consoleMeta(c), "saml", result.settings as unknown as JsonObject);
    // The first save hands out the SCIM token too: the next thing the admin pastes into Okta.
    const tokens = await listTokens(db, c.var.tenant.id, now);
    if (!tokens.some((token) => token.status === "active" || token.status === "expiring")) return redirectToNewToken(c, 0);
    return c.redirect("/settings/okta/setup?saved=connection", 303);
  });

  app.get("/setup/token", async (c) => {
    const token = await takeRevealedSecret(c);
    return c.html(<TokenPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} urls={tenantUrls(c.var.origin)} token={token} />, token ? 200 : 410);
  });

  app.post("/tokens/rotate", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const grace = RETIRE_CHOICES[form.get("retire") ?? ""];
    if (grace === undefined) return consoleMessage(c, 400, "Token not rotated", "Choose when the current token stops working: now, or in 24 hours.");
    return redirectToNewToken(c, grace);
  });

  app.post("/certificates", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const now = Date.now();
    const current = await loadSamlSettings(openDatabase(c.env.DB), c.var.tenant.id);
    if (!current) return consoleMessage(c, 409, "Not connected yet", "Save Okta's values first; then a second certificate can be added.");
    const text = form.get("certificate") ?? "";
    const values = { "new-certificate": text };
    const refuse = (message: string) => renderSetup(c, 400, { addCertificate: { values, errors: { "new-certificate": message } } });
    if (text.trim() === "") return refuse("Paste the new certificate (PEM or base64).");
    if (current.certificates.length >= MAX_CERTIFICATES) return refuse(`There are already ${MAX_CERTIFICATES} certificates; remove one first.`);
    const parsed = await parseCertificate(text, now);
    if (!parsed.ok) return refuse(parsed.message);
    if (current.certificates.some((certificate) => certificate.fingerprintSha256 === parsed.certificate.fingerprintSha256)) return refuse("This certificate is already configured.");
    const settings: SamlConnectionSettings = { ...current, certificates: [...current.certificates, parsed.certificate] };
    await tenantWriter(c.env, c.var.tenant.id).saveIdpConnection(consoleMeta(c), "saml", settings as unknown as JsonObject);
    return c.redirect("/settings/okta/setup?saved=certificate", 303);
  });

  app.post("/certificates/remove", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const current = await loadSamlSettings(openDatabase(c.env.DB), c.var.tenant.id);
    const fingerprint = form.get("fingerprint");
    const remaining = current?.certificates.filter((certificate) => certificate.fingerprintSha256 !== fingerprint) ?? [];
    if (!current || remaining.length === current.certificates.length) return consoleMessage(c, 400, "Certificate not removed", "That certificate is not configured (the page may be out of date). Reload and try again.");
    // Removing the last one would leave nothing to verify sign-ins with: replace it through the form instead.
    if (remaining.length === 0) return consoleMessage(c, 400, "Certificate not removed", "The only certificate cannot be removed; paste its replacement in the form instead.");
    await tenantWriter(c.env, c.var.tenant.id).saveIdpConnection(consoleMeta(c), "saml", { ...current, certificates: remaining } as unknown as JsonObject);
    return c.redirect("/settings/okta/setup?saved=certificate-removed", 303);
  });

  app.post("/access", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const values = formValues(form, ["adminRoles", "adminGroups"]);
    const roles = readAccessList(values.adminRoles!, "roles");
    const groups = readAccessList(values.adminGroups!, "groups");
    if (!Array.isArray(roles) || !Array.isArray(groups)) {
      const errors: Record<string, string> = {};
      if (!Array.isArray(roles)) errors.adminRoles = roles.error;
      if (!Array.isArray(groups)) errors.adminGroups = groups.error;
      return renderSetup(c, 400, { accessForm: { values, errors } });
    }
    await tenantWriter(c.env, c.var.tenant.id).saveAdminAccess(consoleMeta(c), { roles, groups });
    return c.redirect("/settings/okta/setup?saved=access", 303);
  });

  // The host app's webhook (src/events/): a refused URL comes back beside its field; a saved one issues a new
  // signing secret, shown once on the GET after the redirect.
  app.post("/webhook", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const values = { webhookUrl: form.get("url") ?? "" };
    const checked = validateWebhookUrl(values.webhookUrl);
    if (!checked.ok) return renderSetup(c, 400, { webhookForm: { values, errors: { webhookUrl: checked.message } } });
    const reveal = await tenantWriter(c.env, c.var.tenant.id).setWebhookForConsole(consoleMeta(c), c.var.adminSession.id, checked.url);
    return c.redirect(`/settings/okta/setup/webhook-secret?reveal=${encodeURIComponent(reveal)}`, 303);
  });

  app.get("/setup/webhook-secret", async (c) => {
    const secret = await takeRevealedSecret(c);
    return c.html(<WebhookSecretPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} secret={secret} />, secret ? 200 : 410);
  });

  app.post("/webhook/remove", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    await tenantWriter(c.env, c.var.tenant.id).removeWebhook(consoleMeta(c));
    return c.redirect("/settings/okta/setup?saved=webhook-removed", 303);
  });
}

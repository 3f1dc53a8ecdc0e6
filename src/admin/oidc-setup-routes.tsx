/**
 * The console's OIDC set-up (issue 6 §1): the same check as the operator API (validateOidcConnection: the fields,
 * then discovery), each message beside its field, nothing saved on any error. The client secret is write-only.
 * A tenant has one connection: replacing a SAML one needs the confirmation box (REPLACE_UNCONFIRMED).
 */
import { openDatabase } from "../db/client";
import type { JsonObject } from "../lib/json";
import type { OidcConnectionSettings, OidcFieldErrors } from "../oidc/connection";
import { validateOidcConnection } from "../oidc/discovery";
import { loadOidcSettings } from "../oidc/settings-store";
import { loadSamlSettings } from "../saml/settings-store";
import { tenantWriter } from "../tenant-do/stub";
import { listTokens } from "../tenants/scim-tokens";
import { consoleMeta, readConsoleForm, type ConsoleApp } from "./context";
import { formValues, redirectToNewToken, renderSetup, REPLACE_UNCONFIRMED } from "./setup-routes";

/** The form as validateOidcConnection takes it: an empty secret keeps the stored one; scopes and skew are kept as saved. */
function oidcInput(values: Record<string, string>, current: OidcConnectionSettings | undefined): JsonObject {
  const secret = values.clientSecret! === "" ? (current?.clientSecret ?? null) : values.clientSecret!;
  const input: JsonObject = { issuer: values.issuer!, clientId: values.clientId!, clientSecret: secret, groupsSource: values.groupsSource!, jitProvisioning: values.jitProvisioning === "on" };
  if (values.groupsClaim!.trim() !== "") input.groupsClaim = values.groupsClaim!.trim();
  if (current) {
    input.scopes = current.scopes;
    input.clockSkewSeconds = current.clockSkewSeconds;
  }
  return input;
}

/** validateOidcConnection's fields → the console's field ids (the scopes and skew are not on the form). */
function oidcFieldErrors(errors: OidcFieldErrors): Record<string, string> {
  const ids: Record<keyof OidcFieldErrors, string> = { issuer: "oidc-issuer", discovery: "oidc-issuer", clientId: "oidc-client-id", clientSecret: "oidc-client-secret", groupsClaim: "oidc-groups-claim", scopes: "oidc-groups-source", options: "oidc-groups-source" };
  return Object.fromEntries(Object.entries(errors).map(([field, text]) => [ids[field as keyof OidcFieldErrors], text]));
}

export function registerOidcSetupRoutes(app: ConsoleApp): void {
  app.post("/setup/oidc", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const now = Date.now();
    const db = openDatabase(c.env.DB);
    const [current, saml] = await Promise.all([loadOidcSettings(c.env, c.var.tenant.id), loadSamlSettings(db, c.var.tenant.id)]);
    const values = formValues(form, ["issuer", "clientId", "clientSecret", "groupsClaim", "groupsSource", "jitProvisioning"]);
    // The secret is write-only: it never comes back into the page, not even on a refused form.
    const shown = { ...values, clientSecret: "" };
    const errors: Record<string, string> = {};
    if (saml && form.get("replaceConnection") !== "on") errors["replace-connection"] = REPLACE_UNCONFIRMED;
    const checked = await validateOidcConnection(oidcInput(values, current), now);
    if (!checked.ok) Object.assign(errors, checked.reason === "invalid_fields" ? oidcFieldErrors(checked.errors) : { "oidc-issuer": checked.error });
    if (!checked.ok || Object.keys(errors).length > 0) return renderSetup(c, 400, { protocol: "oidc", oidcForm: { values: shown, errors } });
    await tenantWriter(c.env, c.var.tenant.id).saveIdpConnection(consoleMeta(c), "oidc", checked.settings as unknown as JsonObject);
    const tokens = await listTokens(db, c.var.tenant.id, now);
    if (!tokens.some((token) => token.status === "active" || token.status === "expiring")) return redirectToNewToken(c, 0);
    return c.redirect("/settings/okta/setup?saved=connection", 303);
  });
}

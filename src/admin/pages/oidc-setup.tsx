/**
 * The set-up page's protocol choice and its OIDC half (issue 6 §1): the values to paste into an Okta OIDC app, and
 * the form for Okta's. The client secret is write-only: never rendered back, an empty field keeps the stored one.
 * A tenant has one connection; the form of the other protocol says so and needs an explicit confirmation.
 */
import type { OidcConnectionSettings } from "../../oidc/connection";
import { OIDC_CALLBACK_PATH } from "../../oidc/sign-in";
import type { TenantUrls } from "../../tenants/urls";
import { Checkbox, CopyValue, CsrfField, TextField } from "./fields";

export type SetupProtocol = "saml" | "oidc";

interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function ProtocolChoice(props: { protocol: SetupProtocol }) {
  const tab = (protocol: SetupProtocol, label: string) =>
    props.protocol === protocol ? <strong aria-current="page">{label}</strong> : <a href={`/settings/okta/setup?protocol=${protocol}`}>{label}</a>;
  return (
    <nav aria-label="Sign-in protocol" id="protocol-choice">
      <p>
        Sign-in protocol: {tab("saml", "SAML 2.0")} · {tab("oidc", "OpenID Connect")}
      </p>
    </nav>
  );
}

/**
 * Saving one protocol replaces the other's connection: the form says so, and the admin must tick the box
 * (checked again on the server — the warning is not only in the page).
 */
export function ReplaceConnection(props: { replaces: SetupProtocol | undefined; error?: string }) {
  if (!props.replaces) return null;
  const name = props.replaces === "saml" ? "SAML" : "OIDC";
  return (
    <div class="field">
      <p class="notice bad" id="replace-warning">
        This replaces your {name} connection: sign-in through {name} stops once you save.
      </p>
      <label>
        <input type="checkbox" id="replace-connection" name="replaceConnection" value="on" aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? "replace-connection-error" : undefined} /> Replace the {name} connection
      </label>
      {props.error ? (
        <p class="field-error" id="replace-connection-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function OidcSetup(props: { urls: TenantUrls; oidc: OidcConnectionSettings | undefined; replaces: SetupProtocol | undefined; form?: FormState; csrfToken: string }) {
  const state = props.form;
  const value = (id: string, fallback: string) => state?.values[id] ?? fallback;
  const source = value("groupsSource", props.oidc?.groupsSource ?? "claim");
  const rows: [string, string, string][] = [
    ["value-oidc-redirect-uri", "Sign-in redirect URI", `${props.urls.origin}${OIDC_CALLBACK_PATH}`],
    ["value-oidc-initiate-login-uri", "Initiate login URI (Login initiated by: Either Okta or App)", props.urls.loginUrl],
    ["value-oidc-sign-out-redirect", "Sign-out redirect URIs", "none (leave empty)"],
    ["value-scim-base-url", "SCIM connector base URL (Provisioning tab; Authentication Mode: HTTP Header)", props.urls.scimBaseUrl],
  ];
  return (
    <section aria-labelledby="oidc-form">
      <h2 id="oidc-form">2. Connect with OpenID Connect</h2>
      <p class="muted">In Okta: Applications → Create App Integration → OIDC → Web Application. Grant type: Authorization Code. Paste these values:</p>
      <dl class="values">
        {rows.map(([id, label, text]) => (
          <>
            <dt>{label}</dt>
            <dd>
              <CopyValue id={id} value={text} />
            </dd>
          </>
        ))}
      </dl>
      {state && Object.keys(state.errors).length > 0 ? (
        <p class="notice bad" role="alert">
          Nothing was saved. Fix the fields marked below.
        </p>
      ) : null}
      <form method="post" action="/settings/okta/setup/oidc" class="stacked" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField id="oidc-issuer" name="issuer" type="url" label="Issuer (your Okta domain)" placeholder="https://acme.okta.com" value={value("issuer", props.oidc?.issuer ?? "")} error={state?.errors["oidc-issuer"]} />
        <TextField id="oidc-client-id" name="clientId" label="Client ID" value={value("clientId", props.oidc?.clientId ?? "")} error={state?.errors["oidc-client-id"]} />
        <TextField
          id="oidc-client-secret"
          name="clientSecret"
          label="Client secret (optional)"
          help={props.oidc?.clientSecret ? "A secret is stored. Leave empty to keep it." : "Leave empty for a public client (PKCE only)."}
          autocomplete="new-password"
          error={state?.errors["oidc-client-secret"]}
        />
        <TextField id="oidc-groups-claim" name="groupsClaim" label="Groups claim" value={value("groupsClaim", props.oidc?.groupsClaim ?? "groups")} error={state?.errors["oidc-groups-claim"]} />
        <fieldset aria-describedby={state?.errors["oidc-groups-source"] ? "oidc-groups-source-error" : undefined}>
          <legend>Group memberships come from</legend>
          <label>
            <input type="radio" name="groupsSource" value="claim" checked={source === "claim"} /> The groups claim, at each sign-in
          </label>
          <br />
          <label>
            <input type="radio" name="groupsSource" value="scim" checked={source === "scim"} /> SCIM only (the claim is ignored)
          </label>
          {state?.errors["oidc-groups-source"] ? (
            <p class="field-error" id="oidc-groups-source-error" role="alert">
              {state.errors["oidc-groups-source"]}
            </p>
          ) : null}
        </fieldset>
        <Checkbox id="oidc-jit" name="jitProvisioning" label="Create unknown users at sign-in (just-in-time), instead of requiring SCIM" checked={state ? state.values.jitProvisioning === "on" : (props.oidc?.jitProvisioning ?? false)} />
        <ReplaceConnection replaces={props.replaces} error={state?.errors["replace-connection"]} />
        <div class="actions">
          <button type="submit">Save</button>
        </div>
      </form>
    </section>
  );
}

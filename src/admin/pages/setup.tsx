/**
 * The set-up page: what to paste into Okta, the form for Okta's values (or its metadata), the certificates, the
 * SCIM token, a test sign-in, who may open the console through SSO, and the directory API keys of the host app
 * (api-keys.tsx) and its webhook (webhook.tsx). Every form posts back here; a refused form comes back with each message beside its field and
 * nothing saved.
 */
import { MAX_CERTIFICATES, type SamlConnectionSettings } from "../../saml/connection";
import type { CertificateInfo } from "../../saml/certs";
import type { ApiKeySummary } from "../../tenants/api-keys";
import type { DeliverySummary } from "../../events/outbox-store";
import type { WebhookView } from "../../events/webhooks";
import type { TokenSummary } from "../../tenants/scim-tokens";
import type { TenantUrls } from "../../tenants/urls";
import { Layout } from "../../pages/layout";
import type { AdminAccess } from "../access";
import { ApiKeysSection } from "./api-keys";
import { CertificateFacts } from "./certificates";
import { Checkbox, CsrfField, TextArea, TextField } from "./fields";
import type { OidcConnectionSettings } from "../../oidc/connection";
import { OidcSetup, ProtocolChoice, ReplaceConnection, type SetupProtocol } from "./oidc-setup";
import { OktaValues } from "./okta-values";
import { WebhookSection } from "./webhook";

/** A submitted form's values and its per-field messages (keys are field ids). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export interface SetupPageProps {
  tenantName: string;
  tenantSlug: string;
  urls: TenantUrls;
  saml: SamlConnectionSettings | undefined;
  oidc: OidcConnectionSettings | undefined;
  /** The tab shown: the one asked for, else the saved connection's protocol, else SAML. */
  protocol: SetupProtocol;
  tokens: TokenSummary[];
  access: AdminAccess;
  apiKeys: ApiKeySummary[];
  webhook: WebhookView | undefined;
  deliveries: DeliverySummary;
  csrfToken: string;
  now: number;
  notice?: { kind: "ok" | "bad"; text: string };
  connection?: FormState & { certificatePreview?: CertificateInfo };
  addCertificate?: FormState & { certificatePreview?: CertificateInfo };
  accessForm?: FormState;
  webhookForm?: FormState;
  oidcForm?: FormState;
}

function ConnectionForm(props: SetupPageProps) {
  const state = props.connection;
  const value = (id: string, fallback: string) => state?.values[id] ?? fallback;
  const checked = (id: string, fallback: boolean) => (state ? state.values[id] === "on" : fallback);
  const connected = props.saml !== undefined;
  return (
    <section aria-labelledby="idp-form">
      <h2 id="idp-form">2. Paste Okta's values</h2>
      <p class="muted">In Okta, open the app's Sign On tab → “View SAML setup instructions” (or copy the Identity Provider metadata).</p>
      {state && Object.keys(state.errors).length > 0 ? (
        <p class="notice bad" role="alert">
          Nothing was saved. Fix the fields marked below.
        </p>
      ) : null}
      <form method="post" action="/settings/okta/setup" class="stacked" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField id="ssoUrl" name="ssoUrl" type="url" label="Identity Provider single sign-on URL" placeholder="https://acme.okta.com/app/…/sso/saml" value={value("ssoUrl", props.saml?.ssoUrl ?? "")} error={state?.errors.ssoUrl} />
        <TextField id="issuer" name="issuer" label="Identity Provider issuer" placeholder="http://www.okta.com/exk…" value={value("issuer", props.saml?.issuer ?? "")} error={state?.errors.issuer} />
        <TextArea
          id="certificate"
          name="certificate"
          label="X.509 certificate"
          help={connected ? "PEM or base64. Leave empty to keep the current certificate(s)." : "PEM (-----BEGIN CERTIFICATE-----) or the bare base64 Okta shows."}
          value={value("certificate", "")}
          error={state?.errors.certificate}
        />
        {state?.certificatePreview ? (
          <div class="notice ok" id="certificate-preview">
            <p>Certificate read:</p>
            <CertificateFacts certificate={state.certificatePreview} now={props.now} />
          </div>
        ) : null}
        <TextArea id="metadataXml" name="metadataXml" label="…or the IdP metadata XML instead" help="Paste Okta's Identity Provider metadata to fill in all three values above." rows={5} value={value("metadataXml", "")} error={state?.errors.metadataXml} />
        <fieldset>
          <legend>Options</legend>
          <Checkbox id="allowIdpInitiated" name="allowIdpInitiated" label="Allow sign-in from the Okta dashboard (IdP-initiated)" checked={checked("allowIdpInitiated", props.saml?.allowIdpInitiated ?? true)} />
          <Checkbox id="jitProvisioning" name="jitProvisioning" label="Create unknown users at sign-in (just-in-time), instead of requiring SCIM" checked={checked("jitProvisioning", props.saml?.jitProvisioning ?? false)} />
          <TextField id="clockSkewSeconds" name="clockSkewSeconds" type="number" label="Allowed clock difference (seconds)" value={value("clockSkewSeconds", String(props.saml?.clockSkewSeconds ?? 180))} error={state?.errors.clockSkewSeconds} />
        </fieldset>
        <ReplaceConnection replaces={props.oidc ? "oidc" : undefined} error={state?.errors["replace-connection"]} />
        <div class="actions">
          <button type="submit">Save</button>
        </div>
      </form>
    </section>
  );
}

function Certificates(props: SetupPageProps) {
  const saml = props.saml;
  if (!saml) return null;
  const state = props.addCertificate;
  return (
    <section aria-labelledby="certificates">
      <h2 id="certificates">Signing certificates</h2>
      <p class="muted">Responses signed with any of these are accepted. During an Okta certificate rotation, add the new one here first, switch Okta over, then remove the old one.</p>
      {saml.certificates.map((certificate, index) => (
        <div class="certificate">
          <h3>Certificate {index + 1}</h3>
          <CertificateFacts certificate={certificate} now={props.now} />
          {saml.certificates.length > 1 ? (
            <form method="post" action="/settings/okta/certificates/remove">
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="fingerprint" value={certificate.fingerprintSha256} />
              <button type="submit" class="secondary">
                Remove certificate {index + 1}
              </button>
            </form>
          ) : null}
        </div>
      ))}
      {saml.certificates.length < MAX_CERTIFICATES || state ? (
        <form method="post" action="/settings/okta/certificates" class="stacked" novalidate>
          <CsrfField token={props.csrfToken} />
          <TextArea id="new-certificate" name="certificate" label="Add a second certificate" help="PEM or base64; it is accepted beside the current one until you remove either." rows={5} value={state?.values["new-certificate"]} error={state?.errors["new-certificate"]} />
          <div class="actions">
            <button type="submit">Add certificate</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function ScimToken(props: SetupPageProps) {
  const usable = props.tokens.filter((token) => token.status === "active" || token.status === "expiring");
  return (
    <section aria-labelledby="scim-token-heading">
      <h2 id="scim-token-heading">3. SCIM token</h2>
      <p class="muted">Okta's Provisioning tab → Integration → API token (Authentication Mode: HTTP Header). Tokens are shown once, when issued.</p>
      {usable.length === 0 ? (
        <form method="post" action="/settings/okta/tokens/rotate">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="retire" value="now" />
          <button type="submit">Issue a SCIM token</button>
        </form>
      ) : (
        <>
          <ul>
            {usable.map((token) => (
              <li>
                <code>{token.hint}</code> — {token.status === "active" ? "active" : `stops at ${token.expiresAt?.slice(0, 16).replace("T", " ")} UTC`}, last used{" "}
                {token.lastUsedAt ? token.lastUsedAt.slice(0, 16).replace("T", " ") + " UTC" : "never"}
              </li>
            ))}
          </ul>
          <form method="post" action="/settings/okta/tokens/rotate" class="stacked">
            <CsrfField token={props.csrfToken} />
            <fieldset>
              <legend>When the current token stops working</legend>
              <label>
                <input type="radio" name="retire" value="24h" checked /> In 24 hours (time to paste the new one into Okta)
              </label>
              <br />
              <label>
                <input type="radio" name="retire" value="now" /> Now (it may have leaked)
              </label>
            </fieldset>
            <div class="actions">
              <button type="submit">Rotate token</button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}

function TestSignIn(props: SetupPageProps) {
  if (!props.saml && !props.oidc) return null;
  return (
    <section aria-labelledby="test-sign-in">
      <h2 id="test-sign-in">4. Test sign-in</h2>
      <p class="muted">Signs you in through Okta the way your users will (SP-initiated) and shows the result here. Your Okta user must be assigned to the app.</p>
      <form method="post" action="/settings/okta/test-sign-in">
        <CsrfField token={props.csrfToken} />
        <button type="submit">Test sign-in</button>
      </form>
    </section>
  );
}

function ConsoleAccess(props: SetupPageProps) {
  const state = props.accessForm;
  return (
    <section aria-labelledby="console-access">
      <h2 id="console-access">Who can open this console</h2>
      <p class="muted">Besides one-time links from your Gatehouse operator: users who sign in through Okta with one of these roles (a role attribute in the SAML assertion, or SCIM roles), or who are in one of these groups.</p>
      <form method="post" action="/settings/okta/access" class="stacked" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextArea id="adminRoles" name="adminRoles" label="Admin roles (one per line)" rows={3} value={state?.values.adminRoles ?? props.access.roles.join("\n")} error={state?.errors.adminRoles} />
        <TextArea id="adminGroups" name="adminGroups" label="Admin groups (one per line)" rows={3} value={state?.values.adminGroups ?? props.access.groups.join("\n")} error={state?.errors.adminGroups} />
        <div class="actions">
          <button type="submit">Save console access</button>
        </div>
      </form>
    </section>
  );
}

export function SetupPage(props: SetupPageProps) {
  return (
    <Layout title="Set up" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/setup">
      {props.notice ? (
        <p class={`notice ${props.notice.kind}`} role="status" id="notice">
          {props.notice.text}
        </p>
      ) : null}
      <ProtocolChoice protocol={props.protocol} />
      {props.protocol === "oidc" ? (
        <OidcSetup urls={props.urls} oidc={props.oidc} replaces={props.saml ? "saml" : undefined} form={props.oidcForm} csrfToken={props.csrfToken} />
      ) : (
        <>
          <OktaValues urls={props.urls} />
          <ConnectionForm {...props} />
        </>
      )}
      <Certificates {...props} />
      <ScimToken {...props} />
      <TestSignIn {...props} />
      <ConsoleAccess {...props} />
      <ApiKeysSection keys={props.apiKeys} csrfToken={props.csrfToken} />
      <WebhookSection webhook={props.webhook} deliveries={props.deliveries} form={props.webhookForm} csrfToken={props.csrfToken} />
    </Layout>
  );
}

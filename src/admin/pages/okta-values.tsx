/**
 * Exactly what the admin pastes into Okta, each with a copy button, so nobody types `/okta/scrim`. The Audience
 * URI is the tenant origin with its scheme: Okta compares it character for character.
 */
import type { TenantUrls } from "../../tenants/urls";
import { CopyValue } from "./fields";

export function OktaValues(props: { urls: TenantUrls; heading?: string }) {
  const rows: [string, string, string][] = [
    ["value-acs-url", "Single sign-on URL", props.urls.acsUrl],
    ["value-audience", "Audience URI (SP Entity ID)", props.urls.entityId],
    ["value-name-id-format", "Name ID format", "EmailAddress"],
    ["value-app-username", "Application username", "Email"],
    ["value-scim-base-url", "SCIM connector base URL", props.urls.scimBaseUrl],
    ["value-unique-id", "Unique identifier field for users", "userName"],
    ["value-auth-mode", "Authentication Mode", "HTTP Header"],
    ["value-metadata-url", "SP metadata", props.urls.metadataUrl],
  ];
  return (
    <section aria-labelledby="okta-values">
      <h2 id="okta-values">{props.heading ?? "1. Values for your Okta app"}</h2>
      <p class="muted">
        In Okta: Applications → Create App Integration → SAML 2.0. Copy these values in; on the Provisioning tab choose SCIM with these settings and push New Users, Profile Updates, Deactivate Users and Groups.
      </p>
      <dl class="values">
        {rows.map(([id, label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>
              <CopyValue id={id} value={value} />
            </dd>
          </>
        ))}
      </dl>
    </section>
  );
}

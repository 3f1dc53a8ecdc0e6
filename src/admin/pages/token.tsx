/** The one showing of a new SCIM token, with where it goes in Okta. */
import type { TenantUrls } from "../../tenants/urls";
import { CopyValue } from "./fields";
import { ShownOncePage } from "./shown-once";

export function TokenPage(props: { tenantName: string; csrfToken: string; urls: TenantUrls; token: string | null }) {
  return (
    <ShownOncePage
      tenantName={props.tenantName}
      csrfToken={props.csrfToken}
      title="SCIM token"
      secretId="scim-token"
      secret={props.token}
      warning="Copy it into Okta now (Provisioning → Integration → API token); Gatehouse keeps only its hash and cannot show it again."
      gone="If it was not copied, rotate the token on the set-up page."
    >
      <dl class="values">
        <dt>SCIM connector base URL</dt>
        <dd>
          <CopyValue id="token-scim-base-url" value={props.urls.scimBaseUrl} />
        </dd>
        <dt>Authentication Mode</dt>
        <dd>HTTP Header</dd>
      </dl>
      <p class="muted">In Okta, “Test API Credentials” should then succeed.</p>
    </ShownOncePage>
  );
}

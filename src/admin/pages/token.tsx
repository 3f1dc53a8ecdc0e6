/** The one showing of a new SCIM token (its reveal is spent by this page's GET; a reload finds nothing). */
import type { TenantUrls } from "../../tenants/urls";
import { Layout } from "../../pages/layout";
import { CopyValue } from "./fields";

export function TokenPage(props: { tenantName: string; csrfToken: string; urls: TenantUrls; token: string | null }) {
  return (
    <Layout title="SCIM token" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/setup">
      <section aria-labelledby="token-heading">
        <h2 id="token-heading">SCIM token</h2>
        {props.token ? (
          <>
            <p class="notice warn" role="alert">
              This token is shown once. Copy it into Okta now (Provisioning → Integration → API token); Gatehouse keeps only its hash and cannot show it again.
            </p>
            <p class="secret">
              <CopyValue id="scim-token" value={props.token} />
            </p>
            <dl class="values">
              <dt>SCIM connector base URL</dt>
              <dd>
                <CopyValue id="token-scim-base-url" value={props.urls.scimBaseUrl} />
              </dd>
              <dt>Authentication Mode</dt>
              <dd>HTTP Header</dd>
            </dl>
            <p class="muted">In Okta, “Test API Credentials” should then succeed.</p>
          </>
        ) : (
          <p class="notice" id="token-gone">
            This token was already shown (tokens are shown once). If it was not copied, rotate the token on the set-up page.
          </p>
        )}
        <p>
          <a href="/settings/okta/setup">Back to set-up</a> · <a href="/settings/okta">Overview</a>
        </p>
      </section>
    </Layout>
  );
}

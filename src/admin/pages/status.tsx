/** The console's home: what to paste into Okta, and how the connection is doing. */
import type { TenantUrls } from "../../tenants/urls";
import { certificateHealth, type TenantStatus } from "../status";
import { Layout } from "../../pages/layout";

function OktaValues(props: { urls: TenantUrls }) {
  const rows: [string, string][] = [
    ["Single sign-on URL", props.urls.acsUrl],
    ["Audience URI (SP Entity ID)", props.urls.entityId],
    ["Name ID format", "EmailAddress"],
    ["Application username", "Email"],
    ["SCIM connector base URL", props.urls.scimBaseUrl],
    ["Unique identifier field for users", "userName"],
    ["Authentication Mode", "HTTP Header"],
    ["SP metadata", props.urls.metadataUrl],
  ];
  return (
    <section aria-labelledby="okta-values">
      <h2 id="okta-values">Values for your Okta app</h2>
      <dl class="values">
        {rows.map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </>
        ))}
      </dl>
    </section>
  );
}

function IdentityProvider(props: { status: TenantStatus; now: number }) {
  const saml = props.status.saml;
  if (!saml) {
    return (
      <section aria-labelledby="idp">
        <h2 id="idp">Identity provider</h2>
        <p>
          <span class="badge warn">Not connected</span> No SAML settings yet: paste Okta's SSO URL, issuer and certificate to connect.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="idp">
      <h2 id="idp">Identity provider</h2>
      <dl class="values">
        <dt>Issuer</dt>
        <dd>
          <code>{saml.issuer}</code>
        </dd>
        <dt>SSO URL</dt>
        <dd>
          <code>{saml.ssoUrl}</code>
        </dd>
        <dt>IdP-initiated sign-in</dt>
        <dd>{saml.allowIdpInitiated ? "allowed (app tile in Okta)" : "off"}</dd>
      </dl>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Certificate</th>
              <th scope="col">SHA-256 fingerprint</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {saml.certificates.map((certificate) => {
              const health = certificateHealth(certificate.notAfter, props.now);
              return (
                <tr>
                  <td>
                    {certificate.subject}
                    <br />
                    <span class="muted">{certificate.keyType}</span>
                  </td>
                  <td>
                    <code>{certificate.fingerprintSha256}</code>
                  </td>
                  <td>
                    {certificate.notAfter.slice(0, 10)}{" "}
                    {health === "ok" ? null : <span class={`badge ${health === "expired" ? "bad" : "warn"}`}>{health === "expired" ? "expired" : "expires soon"}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Provisioning(props: { status: TenantStatus }) {
  const { users, groups, tokens } = props.status;
  return (
    <section aria-labelledby="scim">
      <h2 id="scim">Provisioning (SCIM)</h2>
      <div class="stats">
        <div>
          <strong>{users.active}</strong> active users
        </div>
        <div>
          <strong>{users.deactivated}</strong> deactivated
        </div>
        <div>
          <strong>{groups}</strong> groups
        </div>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 ? (
              <tr>
                <td colspan={4} class="muted">
                  No SCIM token yet.
                </td>
              </tr>
            ) : (
              tokens.map((token) => (
                <tr>
                  <td>
                    <code>{token.hint}</code>
                  </td>
                  <td>
                    <span class={`badge ${token.status === "active" ? "ok" : token.status === "expiring" ? "warn" : "bad"}`}>{token.status}</span>
                  </td>
                  <td>{token.createdAt.slice(0, 16).replace("T", " ")}</td>
                  <td>{token.lastUsedAt ? token.lastUsedAt.slice(0, 16).replace("T", " ") : "never"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function StatusPage(props: { tenantName: string; urls: TenantUrls; status: TenantStatus; now: number; csrfToken: string }) {
  return (
    <Layout title="Okta integration" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }}>
      <OktaValues urls={props.urls} />
      <IdentityProvider status={props.status} now={props.now} />
      <Provisioning status={props.status} />
    </Layout>
  );
}

/** The console's home: what to paste into Okta, and how the connection is doing. */
import type { OidcConnectionSettings } from "../../oidc/connection";
import type { TenantUrls } from "../../tenants/urls";
import { DIALECT_LABELS } from "../../scim/dialect";
import type { TenantStatus } from "../status";
import { CertificateHealthBadge } from "./certificates";
import { OktaValues } from "./okta-values";
import { Layout } from "../../pages/layout";
import { formatInstant, statusBadgeClass } from "./list-parts";
import { ProvisioningJobs } from "./provisioning-jobs";

/** An OIDC connection: what Okta was given, never the client secret (only whether there is one). */
function OidcProvider(props: { oidc: OidcConnectionSettings }) {
  const oidc = props.oidc;
  return (
    <section aria-labelledby="idp">
      <h2 id="idp">Identity provider</h2>
      <dl class="values" id="oidc-connection">
        <dt>Protocol</dt>
        <dd>OpenID Connect</dd>
        <dt>Issuer</dt>
        <dd>
          <code>{oidc.issuer}</code>
        </dd>
        <dt>Client ID</dt>
        <dd>
          <code>{oidc.clientId}</code>
        </dd>
        <dt>Client type</dt>
        <dd>{oidc.clientSecret ? "confidential (client secret stored)" : "public (PKCE only)"}</dd>
        <dt>Group memberships from</dt>
        <dd>{oidc.groupsSource === "scim" ? "SCIM only" : `the ${oidc.groupsClaim} claim`}</dd>
      </dl>
    </section>
  );
}

function IdentityProvider(props: { status: TenantStatus; now: number }) {
  const saml = props.status.saml;
  if (!saml && props.status.oidc) return <OidcProvider oidc={props.status.oidc} />;
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
                    {certificate.notAfter.slice(0, 10)} <CertificateHealthBadge notAfter={certificate.notAfter} now={props.now} />
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

/** The last request and the dialect seen: enough to tell at a glance whether the IdP is talking to us, and how. */
function ScimTraffic(props: { status: TenantStatus }) {
  const { last, dialect } = props.status.scim;
  return (
    <dl class="values">
      <dt>Last SCIM request</dt>
      <dd>
        {last ? (
          <>
            {formatInstant(last.at)} · <code>{last.method}</code> <code>{last.path}</code>{" "}
            <span class={`badge ${statusBadgeClass(last.status)}`}>{last.status}</span> · <a href="/settings/okta/activity?kind=scim">all requests</a>
          </>
        ) : (
          "none yet: paste the SCIM connector base URL and token into your IdP, then test the connection there."
        )}
      </dd>
      <dt>IdP dialect seen</dt>
      <dd>{dialect ? `${DIALECT_LABELS[dialect.dialect]} (last seen ${formatInstant(dialect.at)})` : "not known yet: it shows once the IdP updates a user (PUT or PATCH)."}</dd>
    </dl>
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
      <ScimTraffic status={props.status} />
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
    <Layout title="Okta integration" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta">
      <OktaValues urls={props.urls} heading="Values for your Okta app" />
      <IdentityProvider status={props.status} now={props.now} />
      <Provisioning status={props.status} />
      <ProvisioningJobs jobs={props.status.jobs} />
    </Layout>
  );
}

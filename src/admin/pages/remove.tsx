/**
 * "Remove integration": what will happen, counted, before it happens — then a typed confirmation (the tenant's
 * slug), so a slip of the mouse cannot delete a directory.
 */
import { Layout } from "../../pages/layout";
import type { RemovalOutcome, RemovalPreview } from "../removal";
import { CsrfField, TextField } from "./fields";

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function RemovePage(props: { tenantName: string; tenantSlug: string; csrfToken: string; preview: RemovalPreview; error?: string; typed?: string }) {
  const { preview } = props;
  return (
    <Layout title="Remove integration" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/remove">
      <section aria-labelledby="remove-heading">
        <h2 id="remove-heading">Remove the Okta integration</h2>
        <div class="notice warn" id="remove-preview">
          <p>Removing the integration will:</p>
          <ul>
            <li>delete {plural(preview.users, "user", "users")} created through this integration (SCIM or sign-in), and {plural(preview.groups, "group", "groups")} with their memberships;</li>
            <li>end {plural(preview.activeSessions, "active session", "active sessions")};</li>
            <li>revoke {plural(preview.tokens, "SCIM token", "SCIM tokens")}, so Okta's provisioning stops;</li>
            <li>{preview.connected ? "remove the IdP settings, so nobody can sign in through Okta until it is set up again." : "leave the IdP settings alone (there are none)."}</li>
          </ul>
          <p>This is recorded in the audit log and cannot be undone. Also remove or deactivate the app in Okta.</p>
        </div>
        <form method="post" action="/settings/okta/remove" class="stacked" novalidate>
          <CsrfField token={props.csrfToken} />
          <TextField id="confirm" name="confirm" label={`Type ${props.tenantSlug} to confirm`} value={props.typed} error={props.error} />
          <div class="actions">
            <button type="submit" class="danger">
              Remove integration
            </button>
          </div>
        </form>
      </section>
    </Layout>
  );
}

export function RemovedPage(props: { tenantName: string; csrfToken: string; removed: RemovalPreview }) {
  const { removed } = props;
  return (
    <Layout title="Integration removed" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/remove">
      <section aria-labelledby="removed-heading">
        <h2 id="removed-heading">Integration removed</h2>
        <p id="removed-summary">
          Deleted {plural(removed.users, "user", "users")} and {plural(removed.groups, "group", "groups")}, ended {plural(removed.activeSessions, "active session", "active sessions")}, revoked{" "}
          {plural(removed.tokens, "SCIM token", "SCIM tokens")}
          {removed.connected ? " and removed the IdP settings" : ""}.
        </p>
        <p>
          <a href="/settings/okta/setup">Set up again</a> · <a href="/settings/okta">Overview</a>
        </p>
      </section>
    </Layout>
  );
}

/** A directory too large for one step is deleted by a provisioning job; everything else has already happened. */
export function RemovalStartedPage(props: { tenantName: string; csrfToken: string; removed: RemovalOutcome }) {
  const { removed } = props;
  return (
    <Layout title="Removal started" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/remove">
      <section aria-labelledby="removed-heading">
        <h2 id="removed-heading">Removal started</h2>
        <p id="removed-summary">
          Revoked {plural(removed.tokens, "SCIM token", "SCIM tokens")} and ended {plural(removed.activeSessions, "active session", "active sessions")}
          {removed.connected ? ", and removed the IdP settings" : ""}: nobody can sign in or provision through this integration any more.
        </p>
        <p>
          Deleting {plural(removed.users, "user", "users")} and {plural(removed.groups, "group", "groups")} in batches; the overview shows how far it has got, under{" "}
          <a href="/settings/okta#jobs">Provisioning jobs</a>.
        </p>
        <p>
          <a href="/settings/okta">Overview</a>
        </p>
      </section>
    </Layout>
  );
}

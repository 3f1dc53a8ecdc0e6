/**
 * Host-app API keys in the console: the set-up page's section (hints, last use, revoke, issue) and the one showing
 * of a new key (its reveal is spent by that page's GET; a reload finds nothing).
 */
import type { ApiKeySummary } from "../../tenants/api-keys";
import { Layout } from "../../pages/layout";
import { CopyValue, CsrfField } from "./fields";
import { ShownOncePage } from "./shown-once";

const minute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function ApiKeysSection(props: { keys: ApiKeySummary[]; csrfToken: string }) {
  const active = props.keys.filter((key) => key.status === "active");
  return (
    <section aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">Directory API keys</h2>
      <p class="muted">
        Your product reads this directory with a key (<code>GET /api/directory/users</code>, <code>/groups</code>, <code>/events?after=</code>) to catch up on changes it missed. Keys are
        shown once, when issued.
      </p>
      {active.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Key</th>
                <th>Issued</th>
                <th>Last used</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {active.map((key) => (
                <tr>
                  <td>
                    <code>{key.hint}</code>
                  </td>
                  <td>{minute(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? minute(key.lastUsedAt) : "never"}</td>
                  <td>
                    <form method="post" action="/settings/okta/api-keys/revoke">
                      <CsrfField token={props.csrfToken} />
                      <input type="hidden" name="id" value={key.id} />
                      <button type="submit" class="secondary">
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form method="post" action="/settings/okta/api-keys">
        <CsrfField token={props.csrfToken} />
        <button type="submit">Issue an API key</button>
      </form>
    </section>
  );
}

export function ApiKeyPage(props: { tenantName: string; csrfToken: string; origin: string; apiKey: string | null }) {
  return (
    <ShownOncePage
      tenantName={props.tenantName}
      csrfToken={props.csrfToken}
      title="Directory API key"
      secretId="api-key"
      secret={props.apiKey}
      warning="Store it in your product's secrets now; Gatehouse keeps only its hash and cannot show it again."
      gone="If it was not stored, revoke it on the set-up page and issue another."
    >
      <dl class="values">
        <dt>Directory API</dt>
        <dd>
          <CopyValue id="api-key-directory-url" value={`${props.origin}/api/directory`} />
        </dd>
        <dt>Header</dt>
        <dd>
          <code>{"Authorization: Bearer <key>"}</code>
        </dd>
      </dl>
    </ShownOncePage>
  );
}

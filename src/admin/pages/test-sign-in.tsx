/** The result of a console "Test sign-in": the first sign-in attempt logged after the test started. */
import type { AttemptView } from "../../saml/attempts";
import { Layout } from "../../pages/layout";
import { reasonText } from "../reason-text";
import { CsrfField } from "./fields";

function Detail(props: { detail: Record<string, unknown> }) {
  const entries = Object.entries(props.detail).filter(([, value]) => value !== null && value !== undefined);
  if (entries.length === 0) return null;
  return (
    <dl class="values">
      {entries.map(([key, value]) => (
        <>
          <dt>{key}</dt>
          <dd>
            <code>{typeof value === "string" ? value : JSON.stringify(value)}</code>
          </dd>
        </>
      ))}
    </dl>
  );
}

export function TestSignInResultPage(props: { tenantName: string; csrfToken: string; attempt: AttemptView | undefined; since: number }) {
  const { attempt } = props;
  return (
    <Layout title="Test sign-in" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/setup">
      <section aria-labelledby="test-result-heading">
        <h2 id="test-result-heading">Test sign-in</h2>
        <div id="test-result">
          {!attempt ? (
            <p class="notice">
              No sign-in has arrived since the test started. If Okta showed an error, it never sent a response: check that your user is assigned to the app. <a href={`/settings/okta/test-sign-in/result?since=${props.since}`}>Check again</a>
            </p>
          ) : attempt.result === "success" ? (
            <p class="notice ok" role="status">
              <span class="badge ok">Success</span> Signed in as <strong>{attempt.nameId}</strong> at {attempt.at.slice(0, 19).replace("T", " ")} UTC. Okta and Gatehouse are connected.
            </p>
          ) : (
            <>
              <p class="notice bad" role="alert">
                <span class="badge bad">Failed</span> {reasonText(attempt.reason ?? "")} <span class="muted">(code <code>{attempt.reason}</code>)</span>
              </p>
              <Detail detail={attempt.detail} />
            </>
          )}
        </div>
        <form method="post" action="/settings/okta/test-sign-in">
          <CsrfField token={props.csrfToken} />
          <button type="submit" class="secondary">
            Test again
          </button>
        </form>
        <p>
          <a href="/settings/okta/setup">Back to set-up</a> · <a href="/settings/okta/activity?kind=sign-in">All sign-in attempts</a>
        </p>
      </section>
    </Layout>
  );
}

/** Activity: SCIM requests and sign-in attempts, newest first, filterable and paged. */
import { Layout } from "../../pages/layout";
import { ACTIVITY_KINDS, ACTIVITY_OUTCOMES, MERGED_MAX_PAGE, type ActivityFilters, type ActivityItem, type ActivityPage } from "../activity";
import { reasonText } from "../reason-text";
import { signInClocks, type SignInView } from "../sign-ins";
import { DIALECT_LABELS } from "../../scim/dialect";
import type { ScimRequestRow } from "../../tenant-do/request-log";
import { formatInstant, Notices, Pager, statusBadgeClass } from "./list-parts";

const KIND_LABELS: Record<(typeof ACTIVITY_KINDS)[number], string> = { all: "Everything", scim: "SCIM requests", "sign-in": "Sign-ins" };
const OUTCOME_LABELS: Record<(typeof ACTIVITY_OUTCOMES)[number], string> = { any: "Any result", ok: "Succeeded", error: "Failed" };

function ScimRow(props: { request: ScimRequestRow }) {
  const { request } = props;
  return (
    <tr>
      <td>{formatInstant(request.at)}</td>
      <td>
        SCIM <code>{request.method}</code> <code>{request.path}</code>
      </td>
      <td>
        <span class={`badge ${statusBadgeClass(request.status)}`}>{request.status}</span>
        <br />
        <span class="muted">{request.durationMs} ms</span>
      </td>
      <td>
        {request.errorDetail ? <p>{request.errorDetail}</p> : null}
        <p class="muted">
          {request.tokenId ? <>token <code>{request.tokenId}</code> · </> : null}
          {request.userAgent ?? "no user agent"}
          {request.dialect === "unknown" ? null : ` · ${DIALECT_LABELS[request.dialect]}`}
        </p>
      </td>
    </tr>
  );
}

function Clocks(props: { attempt: SignInView }) {
  const clocks = signInClocks(props.attempt.detail);
  if (!clocks.idp && !clocks.edge) return null;
  return (
    <p class="muted">
      {clocks.idp ? `IdP time (${clocks.idp.label}): ${formatInstant(clocks.idp.at)}` : "IdP time: not recorded"}
      {" · "}
      {clocks.edge ? `edge time: ${formatInstant(clocks.edge)}` : "edge time: not recorded"}
      {clocks.differenceSeconds !== null ? ` · edge − IdP: ${clocks.differenceSeconds} s` : null}
    </p>
  );
}

export function SignInUser(props: { attempt: SignInView }) {
  const label = props.attempt.nameId ?? props.attempt.userId ?? "user not identified";
  return props.attempt.userId ? <a href={`/settings/okta/users/${encodeURIComponent(props.attempt.userId)}`}>{label}</a> : <>{label}</>;
}

export function SignInResult(props: { attempt: SignInView }) {
  const { attempt } = props;
  return (
    <>
      {attempt.result === "success" ? <span class="badge ok">signed in</span> : <span class="badge bad">refused</span>}
      {attempt.reason ? (
        <p>
          <code>{attempt.reason}</code> {reasonText(attempt.reason)}
        </p>
      ) : null}
      <Clocks attempt={attempt} />
    </>
  );
}

function SignInRow(props: { attempt: SignInView }) {
  return (
    <tr>
      <td>{formatInstant(props.attempt.at)}</td>
      <td>
        Sign-in · <SignInUser attempt={props.attempt} />
      </td>
      <td colspan={2}>
        <SignInResult attempt={props.attempt} />
      </td>
    </tr>
  );
}

function Filters(props: { filters: ActivityFilters }) {
  const { filters } = props;
  return (
    <form class="filters" method="get" action="/settings/okta/activity" role="search">
      <div class="field">
        <label for="kind">Show</label>
        <select id="kind" name="kind">
          {ACTIVITY_KINDS.map((kind) => (
            <option value={kind} selected={kind === filters.kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="outcome">Result</label>
        <select id="outcome" name="outcome">
          {ACTIVITY_OUTCOMES.map((outcome) => (
            <option value={outcome} selected={outcome === filters.outcome}>
              {OUTCOME_LABELS[outcome]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q">Containing</label>
        <input id="q" name="q" type="search" value={filters.text ?? ""} placeholder="path, status, user, reason" />
      </div>
      <button type="submit">Filter</button>
    </form>
  );
}

export function ActivityPageView(props: { tenantName: string; csrfToken: string; filters: ActivityFilters; activity: ActivityPage; notices: string[] }) {
  const { filters, activity } = props;
  return (
    <Layout title="Activity" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/activity">
      <section aria-labelledby="activity">
        <h2 id="activity">Activity</h2>
        <p class="muted">SCIM requests from your identity provider (the newest 5,000 are kept) and every sign-in attempt, newest first.</p>
        <Filters filters={filters} />
        <Notices notices={props.notices} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Result</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {activity.items.length === 0 ? (
                <tr>
                  <td colspan={4} class="muted">
                    {filters.page > 1 ? "Nothing on this page." : "Nothing recorded that matches."}
                  </td>
                </tr>
              ) : (
                activity.items.map((item: ActivityItem) => (item.kind === "scim" ? <ScimRow request={item.request} /> : <SignInRow attempt={item.attempt} />))
              )}
            </tbody>
          </table>
        </div>
        <Pager
          path="/settings/okta/activity"
          params={{ kind: filters.kind === "all" ? undefined : filters.kind, outcome: filters.outcome === "any" ? undefined : filters.outcome, q: filters.text }}
          page={filters.page}
          total={activity.total}
          maxPage={filters.kind === "all" ? MERGED_MAX_PAGE : undefined}
        />
      </section>
    </Layout>
  );
}

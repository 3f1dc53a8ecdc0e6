/** Users: the searchable list, and one user's page (groups, roles, status, source, recent sign-ins). */
import { Layout } from "../../pages/layout";
import type { GroupRef } from "../../scim/resources";
import type { DirectoryUser, Paged, UserListRow } from "../directory";
import type { SignInView } from "../sign-ins";
import { SignInResult } from "./activity";
import { formatInstant, Notices, Pager } from "./list-parts";

const SOURCE_LABELS = { scim: "SCIM (provisioned by the IdP)", jit: "Just-in-time (created at first sign-in)" } as const;

export function ActiveBadge(props: { active: boolean }) {
  return props.active ? <span class="badge ok">active</span> : <span class="badge warn">deactivated</span>;
}

export function SearchForm(props: { action: string; text: string | undefined; label: string; placeholder: string }) {
  return (
    <form class="filters" method="get" action={props.action} role="search">
      <div class="field">
        <label for="q">{props.label}</label>
        <input id="q" name="q" type="search" value={props.text ?? ""} placeholder={props.placeholder} />
      </div>
      <button type="submit">Search</button>
    </form>
  );
}

export function UserTable(props: { users: UserListRow[]; empty: string }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">User name</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {props.users.length === 0 ? (
            <tr>
              <td colspan={5} class="muted">
                {props.empty}
              </td>
            </tr>
          ) : (
            props.users.map((user) => (
              <tr>
                <td>
                  <a href={`/settings/okta/users/${encodeURIComponent(user.id)}`}>{user.userName}</a>
                </td>
                <td>{user.displayName ?? ""}</td>
                <td>{user.email ?? ""}</td>
                <td>
                  <ActiveBadge active={user.active} />
                </td>
                <td>{user.source === "jit" ? "just-in-time" : "SCIM"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage(props: { tenantName: string; csrfToken: string; text: string | undefined; page: number; users: Paged<UserListRow>; notices: string[] }) {
  return (
    <Layout title="Users" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/users">
      <section aria-labelledby="users">
        <h2 id="users">Users</h2>
        <SearchForm action="/settings/okta/users" text={props.text} label="Find a user" placeholder="user name, name or email" />
        <Notices notices={props.notices} />
        <UserTable users={props.users.rows} empty={props.text ? "No user matches." : "No users yet: they appear here once your IdP provisions them."} />
        <Pager path="/settings/okta/users" params={{ q: props.text }} page={props.page} total={props.users.total} />
      </section>
    </Layout>
  );
}

export function UserPage(props: { tenantName: string; csrfToken: string; user: DirectoryUser; groups: GroupRef[]; roles: string[]; signIns: SignInView[] }) {
  const { user } = props;
  return (
    <Layout title={user.userName} tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/users">
      <section aria-labelledby="user">
        <h2 id="user">{user.displayName ?? user.userName}</h2>
        <dl class="values">
          <dt>User name</dt>
          <dd>
            <code>{user.userName}</code>
          </dd>
          <dt>Email</dt>
          <dd>{user.emailKey ?? "none"}</dd>
          <dt>Status</dt>
          <dd>
            <ActiveBadge active={user.active} />
          </dd>
          <dt>Source</dt>
          <dd>{SOURCE_LABELS[user.source]}</dd>
          <dt>External id (from the IdP)</dt>
          <dd>{user.externalId ? <code>{user.externalId}</code> : "none"}</dd>
          <dt>Id</dt>
          <dd>
            <code>{user.id}</code>
          </dd>
          <dt>Created · updated</dt>
          <dd>
            {formatInstant(user.createdAt)} · {formatInstant(user.updatedAt)}
          </dd>
          <dt>Groups</dt>
          <dd>
            {props.groups.length === 0
              ? "none"
              : props.groups.map((group, index) => (
                  <>
                    {index > 0 ? ", " : null}
                    <a href={`/settings/okta/groups/${encodeURIComponent(group.id)}`}>{group.displayName}</a>
                  </>
                ))}
          </dd>
          <dt>Roles (SCIM roles)</dt>
          <dd>{props.roles.length === 0 ? "none" : props.roles.map((role, index) => <>{index > 0 ? ", " : null}<code>{role}</code></>)}</dd>
        </dl>
      </section>
      <section aria-labelledby="user-sign-ins">
        <h2 id="user-sign-ins">Recent sign-ins</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {props.signIns.length === 0 ? (
                <tr>
                  <td colspan={2} class="muted">
                    No sign-ins yet.
                  </td>
                </tr>
              ) : (
                props.signIns.map((attempt) => (
                  <tr>
                    <td>{formatInstant(attempt.at)}</td>
                    <td>
                      <SignInResult attempt={attempt} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}

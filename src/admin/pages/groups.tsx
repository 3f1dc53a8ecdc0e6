/** Groups: the searchable list, and one group's page with its members (paged). */
import { Layout } from "../../pages/layout";
import type { GroupRow } from "../../scim/store";
import type { GroupListRow, Paged, UserListRow } from "../directory";
import { formatInstant, Notices, Pager } from "./list-parts";
import { SearchForm, UserTable } from "./users";

export function GroupsPage(props: { tenantName: string; csrfToken: string; text: string | undefined; page: number; groups: Paged<GroupListRow>; notices: string[] }) {
  return (
    <Layout title="Groups" tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/groups">
      <section aria-labelledby="groups">
        <h2 id="groups">Groups</h2>
        <SearchForm action="/settings/okta/groups" text={props.text} label="Find a group" placeholder="group name" />
        <Notices notices={props.notices} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Members</th>
                <th scope="col">External id</th>
              </tr>
            </thead>
            <tbody>
              {props.groups.rows.length === 0 ? (
                <tr>
                  <td colspan={3} class="muted">
                    {props.text ? "No group matches." : "No groups yet: they appear here once your IdP pushes them."}
                  </td>
                </tr>
              ) : (
                props.groups.rows.map((group) => (
                  <tr>
                    <td>
                      <a href={`/settings/okta/groups/${encodeURIComponent(group.id)}`}>{group.displayName}</a>
                    </td>
                    <td>{group.members}</td>
                    <td>{group.externalId ? <code>{group.externalId}</code> : ""}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pager path="/settings/okta/groups" params={{ q: props.text }} page={props.page} total={props.groups.total} />
      </section>
    </Layout>
  );
}

export function GroupPage(props: { tenantName: string; csrfToken: string; group: GroupRow; page: number; members: Paged<UserListRow>; notices: string[] }) {
  const { group } = props;
  const path = `/settings/okta/groups/${encodeURIComponent(group.id)}`;
  return (
    <Layout title={group.displayName} tenantName={props.tenantName} signOut={{ csrfToken: props.csrfToken }} section="/settings/okta/groups">
      <section aria-labelledby="group">
        <h2 id="group">{group.displayName}</h2>
        <dl class="values">
          <dt>Id</dt>
          <dd>
            <code>{group.id}</code>
          </dd>
          <dt>External id (from the IdP)</dt>
          <dd>{group.externalId ? <code>{group.externalId}</code> : "none"}</dd>
          <dt>Created · updated</dt>
          <dd>
            {formatInstant(group.createdAt)} · {formatInstant(group.updatedAt)}
          </dd>
          <dt>Members</dt>
          <dd>{props.members.total}</dd>
        </dl>
      </section>
      <section aria-labelledby="members">
        <h2 id="members">Members</h2>
        <Notices notices={props.notices} />
        <UserTable users={props.members.rows} empty={props.page > 1 ? "Nothing on this page." : "This group has no members."} />
        <Pager path={path} params={{}} page={props.page} total={props.members.total} />
      </section>
    </Layout>
  );
}

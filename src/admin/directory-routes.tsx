/**
 * Users and groups: /settings/okta/users?q=&page=, /users/:id, /groups?q=&page=, /groups/:id?page=. Each lookup
 * is inside this tenant (directory.ts, src/scim/store.ts), so another tenant's id is a plain 404, the same page as
 * an id that never existed: the console does not confirm that an id exists elsewhere.
 */
import type { Context } from "hono";
import { openDatabase } from "../db/client";
import { scimRoles } from "../scim/resources";
import { findGroup, groupsOfUsers } from "../scim/store";
import { consoleMessage, type ConsoleApp } from "./context";
import { findDirectoryUser, groupMembersPage, searchGroups, searchUsers } from "./directory";
import { PAGE_SIZE, readListParams } from "./list-params";
import type { AdminEnv } from "./middleware";
import { GroupPage, GroupsPage } from "./pages/groups";
import { UserPage, UsersPage } from "./pages/users";
import { searchSignIns } from "./sign-ins";

/** Ids are ours (`usr_…`, `grp_…`, well under this); anything longer is not worth a query. */
const MAX_ID_LENGTH = 100;
const RECENT_SIGN_INS = 20;

function notFound(c: Context<AdminEnv>, kind: "user" | "group") {
  return consoleMessage(c, 404, `No such ${kind}`, `This organisation has no ${kind} with that id.`, `Find the ${kind} in the ${kind === "user" ? "Users" : "Groups"} list.`);
}

export function registerDirectoryRoutes(app: ConsoleApp): void {
  app.get("/users", async (c) => {
    const list = readListParams((name) => c.req.query(name));
    const users = await searchUsers(openDatabase(c.env.DB), c.var.tenant.id, list.text, { offset: list.offset, limit: PAGE_SIZE });
    return c.html(<UsersPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} text={list.text} page={list.page} users={users} notices={list.notices} />);
  });

  app.get("/users/:id", async (c) => {
    const id = c.req.param("id");
    if (id.length > MAX_ID_LENGTH) return notFound(c, "user");
    const db = openDatabase(c.env.DB);
    const tenantId = c.var.tenant.id;
    const [user, groups, signIns] = await Promise.all([
      findDirectoryUser(db, tenantId, id),
      groupsOfUsers(db, tenantId, [id]),
      searchSignIns(db, tenantId, { userId: id, outcome: undefined, text: undefined, offset: 0, limit: RECENT_SIGN_INS }),
    ]);
    if (!user) return notFound(c, "user");
    return c.html(<UserPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} user={user} groups={groups.get(id) ?? []} roles={scimRoles(user.data)} signIns={signIns.rows} />);
  });

  app.get("/groups", async (c) => {
    const list = readListParams((name) => c.req.query(name));
    const groups = await searchGroups(openDatabase(c.env.DB), c.var.tenant.id, list.text, { offset: list.offset, limit: PAGE_SIZE });
    return c.html(<GroupsPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} text={list.text} page={list.page} groups={groups} notices={list.notices} />);
  });

  app.get("/groups/:id", async (c) => {
    const id = c.req.param("id");
    if (id.length > MAX_ID_LENGTH) return notFound(c, "group");
    const list = readListParams((name) => c.req.query(name));
    const db = openDatabase(c.env.DB);
    const [group, members] = await Promise.all([findGroup(db, c.var.tenant.id, id), groupMembersPage(db, c.var.tenant.id, id, { offset: list.offset, limit: PAGE_SIZE })]);
    if (!group) return notFound(c, "group");
    return c.html(<GroupPage tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} group={group} page={list.page} members={members} notices={list.notices} />);
  });
}

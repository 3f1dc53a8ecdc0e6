/**
 * The host app's directory API, mounted at `/api/directory` on tenant hosts: who is in the directory now
 * (`/users`, `/groups`, `/groups/:id/members`) and what changed after a point (`/events?after=<seq>`), so a host
 * app that missed webhooks — it was down, deploying, or is new — can catch up. JSON (not SCIM), keyset-paged
 * (`limit`, then `cursor` = the `next` of the page before), authenticated with a tenant API key
 * (src/http/api-key-auth.ts), never cached.
 */
import { Hono, type Context } from "hono";
import { noStore } from "../admin/middleware";
import { openDatabase } from "../db/client";
import type { TenantEnv } from "../env";
import { apiKeyAuth } from "../http/api-key-auth";
import { requireTenantHost } from "../http/host";
import { directoryErrorResponse } from "./errors";
import { parseAfterSeq, parseIdCursor, parseLimit, parsePositionCursor, type Parsed } from "./paging";
import { listEventsPage, listGroupsPage, listMembersPage, listUsersPage } from "./store";

type DirectoryContext = Context<TenantEnv>;

/** `limit` and the page's position (`cursor`, or `after` for events), each checked; a 400 answer when either is bad. */
function readPaging<T>(c: DirectoryContext, positionName: "cursor" | "after", parsePosition: (raw: string | undefined) => Parsed<T>): { limit: number; position: T } | Response {
  const limit = parseLimit(c.req.query("limit"));
  if (!limit.ok) return directoryErrorResponse(limit.code);
  const position = parsePosition(c.req.query(positionName));
  if (!position.ok) return directoryErrorResponse(position.code);
  return { limit: limit.value, position: position.value };
}

export function directoryRoutes() {
  const directory = new Hono<TenantEnv>();
  // Mounted at /api/directory, not at "/": use() covers this API's paths and no others.
  directory.use(noStore, requireTenantHost, apiKeyAuth);

  directory.get("/users", async (c) => {
    const paging = readPaging(c, "cursor", parsePositionCursor);
    if (paging instanceof Response) return paging;
    const page = await listUsersPage(openDatabase(c.env.DB), c.var.tenant.id, paging.position, paging.limit);
    return c.json({ users: page.items, next: page.next });
  });

  directory.get("/groups", async (c) => {
    const paging = readPaging(c, "cursor", parsePositionCursor);
    if (paging instanceof Response) return paging;
    const page = await listGroupsPage(openDatabase(c.env.DB), c.var.tenant.id, paging.position, paging.limit);
    return c.json({ groups: page.items, next: page.next });
  });

  directory.get("/groups/:id/members", async (c) => {
    const paging = readPaging(c, "cursor", parseIdCursor);
    if (paging instanceof Response) return paging;
    const page = await listMembersPage(openDatabase(c.env.DB), c.var.tenant.id, c.req.param("id"), paging.position, paging.limit);
    if (!page) return directoryErrorResponse("group_not_found");
    return c.json({ members: page.items, next: page.next });
  });

  // `next` is the `after` of the following page while more events are waiting, null once caught up; the host app
  // then polls again with the seq of the last event it handled.
  directory.get("/events", async (c) => {
    const paging = readPaging(c, "after", parseAfterSeq);
    if (paging instanceof Response) return paging;
    const page = await listEventsPage(openDatabase(c.env.DB), c.var.tenant.id, paging.position, paging.limit);
    return c.json({ events: page.items, next: page.next });
  });

  directory.all("*", () => directoryErrorResponse("not_found"));

  // This API answers JSON even when it fails: logged with the request id, answered generically.
  directory.onError((error, c) => {
    console.error(JSON.stringify({ at: "unhandled_error", requestId: c.var.requestId, path: c.req.path, error: error instanceof Error ? error.stack : String(error) }));
    return directoryErrorResponse("internal_error", `Internal error; request id ${c.var.requestId}.`);
  });
  return directory;
}

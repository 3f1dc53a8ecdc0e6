/** GET /settings/okta/activity?kind=all|scim|sign-in&outcome=any|ok|error&q=&page= */
import { openDatabase } from "../db/client";
import { ACTIVITY_KINDS, ACTIVITY_OUTCOMES, loadActivity, MERGED_MAX_PAGE } from "./activity";
import type { ConsoleApp } from "./context";
import { readChoice, readListParams } from "./list-params";
import { ActivityPageView } from "./pages/activity";

export function registerActivityRoutes(app: ConsoleApp): void {
  app.get("/activity", async (c) => {
    const query = (name: string) => c.req.query(name);
    const notices: string[] = [];
    const kind = readChoice(query, "kind", ACTIVITY_KINDS, "all", notices);
    const outcome = readChoice(query, "outcome", ACTIVITY_OUTCOMES, "any", notices);
    const list = readListParams(query, kind === "all" ? MERGED_MAX_PAGE : undefined);
    const filters = { kind, outcome, text: list.text, page: list.page };
    const activity = await loadActivity(c.env, openDatabase(c.env.DB), c.var.tenant.id, filters);
    return c.html(<ActivityPageView tenantName={c.var.tenant.name} csrfToken={c.var.adminSession.csrfToken} filters={filters} activity={activity} notices={[...notices, ...list.notices]} />);
  });
}

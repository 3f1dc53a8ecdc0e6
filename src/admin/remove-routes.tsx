/** Disconnecting (issue 4 §4): preview, typed confirmation, then the tenant's Durable Object removes it all. */
import { openDatabase } from "../db/client";
import { tenantWriter } from "../tenant-do/stub";
import { consoleMeta, readConsoleForm, type ConsoleApp } from "./context";
import { RemovalStartedPage, RemovedPage, RemovePage } from "./pages/remove";
import { previewRemoval } from "./removal";

export function registerRemoveRoutes(app: ConsoleApp): void {
  app.get("/remove", async (c) => {
    const preview = await previewRemoval(openDatabase(c.env.DB), c.var.tenant.id, Date.now());
    return c.html(<RemovePage tenantName={c.var.tenant.name} tenantSlug={c.var.tenant.slug} csrfToken={c.var.adminSession.csrfToken} preview={preview} />);
  });

  app.post("/remove", async (c) => {
    const form = await readConsoleForm(c);
    if (form instanceof Response) return form;
    const typed = (form.get("confirm") ?? "").trim();
    if (typed !== c.var.tenant.slug) {
      const preview = await previewRemoval(openDatabase(c.env.DB), c.var.tenant.id, Date.now());
      const error = typed === "" ? `Type ${c.var.tenant.slug} to confirm.` : `That is not ${c.var.tenant.slug}; nothing was removed.`;
      return c.html(<RemovePage tenantName={c.var.tenant.name} tenantSlug={c.var.tenant.slug} csrfToken={c.var.adminSession.csrfToken} preview={preview} error={error} typed={typed.slice(0, 100)} />, 400);
    }
    const removed = await tenantWriter(c.env, c.var.tenant.id).removeIntegration(consoleMeta(c));
    const props = { tenantName: c.var.tenant.name, csrfToken: c.var.adminSession.csrfToken, removed };
    return c.html(removed.jobId ? <RemovalStartedPage {...props} /> : <RemovedPage {...props} />);
  });
}

/**
 * The floor: the least work a SCIM create or lookup could do on this host — a trivial worker that runs one D1
 * insert, or one indexed D1 select, per request — served by the same Miniflare, on the same machine, in the same
 * run as Gatehouse. The ratio against it is what the benchmark reports.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

const FLOOR_WORKER = `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/insert") {
      const body = await request.text();
      const id = crypto.randomUUID();
      await env.DB.prepare("INSERT INTO users (id, tenant_id, user_name_key, data) VALUES (?1, ?2, ?3, ?4)")
        .bind(id, "tn_floor", JSON.parse(body).userName.toLowerCase(), body).run();
      return new Response(JSON.stringify({ id }), { status: 201, headers: { "Content-Type": "application/json" } });
    }
    if (url.pathname === "/select") {
      const row = await env.DB.prepare("SELECT * FROM users WHERE tenant_id = ?1 AND user_name_key = ?2")
        .bind("tn_floor", url.searchParams.get("userName").toLowerCase()).first();
      return new Response(JSON.stringify({ Resources: row ? [row] : [] }), { headers: { "Content-Type": "application/json" } });
    }
    return new Response("not found", { status: 404 });
  },
};`;

export async function startFloorServer(compatibilityDate: string) {
  const persist = await mkdtemp(join(tmpdir(), "gatehouse-floor-"));
  const mf = new Miniflare({
    modules: true,
    script: FLOOR_WORKER,
    compatibilityDate,
    d1Databases: ["DB"],
    host: "127.0.0.1",
    port: 0,
    defaultPersistRoot: persist,
    log: new Log(LogLevel.WARN),
  });
  const url = await mf.ready;
  const db = await mf.getD1Database("DB");
  await db.exec("CREATE TABLE users (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_name_key TEXT NOT NULL, data TEXT NOT NULL)");
  await db.exec("CREATE UNIQUE INDEX users_name ON users (tenant_id, user_name_key)");
  return {
    port: Number(url.port),
    dispose: async () => {
      await mf.dispose();
      await rm(persist, { recursive: true, force: true });
    },
  };
}

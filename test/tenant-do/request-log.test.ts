/** The SCIM request log in the tenant Durable Object's SQLite storage: bounded, filtered, newest first. */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appendScimRequest, listScimRequests, SCIM_REQUEST_LOG_ROWS, summariseScimRequests, type ScimRequestEntry } from "../../src/tenant-do/request-log";
import type { TenantDurableObject } from "../../src/tenant-do/tenant-do";

function entry(index: number, overrides: Partial<ScimRequestEntry> = {}): ScimRequestEntry {
  return { at: 1_700_000_000_000 + index, method: "GET", path: `/okta/scim/v2/Users?n=${index}`, status: 200, durationMs: 3, errorDetail: null, tokenId: "tok_1", userAgent: null, dialect: "unknown", ...overrides };
}

function freshObject() {
  return env.TENANT_DO.get(env.TENANT_DO.idFromName(`tn_log_${crypto.randomUUID()}`));
}

describe("SCIM request log", () => {
  it(`keeps exactly the newest ${SCIM_REQUEST_LOG_ROWS} rows`, async () => {
    await runInDurableObject(freshObject(), async (_, state) => {
      for (let index = 1; index <= SCIM_REQUEST_LOG_ROWS + 7; index++) appendScimRequest(state.storage.sql, entry(index));
      const page = listScimRequests(state.storage.sql, { outcome: undefined, text: undefined, offset: 0, limit: 1 });
      expect(page.total).toBe(SCIM_REQUEST_LOG_ROWS);
      expect(page.rows[0]!.path).toBe(`/okta/scim/v2/Users?n=${SCIM_REQUEST_LOG_ROWS + 7}`);
      const oldest = listScimRequests(state.storage.sql, { outcome: undefined, text: undefined, offset: SCIM_REQUEST_LOG_ROWS - 1, limit: 5 });
      expect(oldest.rows.map((row) => row.path)).toEqual(["/okta/scim/v2/Users?n=8"]);
    });
  });

  it("filters by outcome and by text, with LIKE wildcards taken literally", async () => {
    await runInDurableObject(freshObject(), async (_, state) => {
      const sql = state.storage.sql;
      appendScimRequest(sql, entry(1, { method: "POST", path: "/okta/scim/v2/Users", status: 201 }));
      appendScimRequest(sql, entry(2, { method: "PATCH", path: "/okta/scim/v2/Users/usr_1", status: 400, errorDetail: "invalidValue: 100% wrong" }));
      appendScimRequest(sql, entry(3, { status: 401, errorDetail: "Authorization is required.", tokenId: null }));
      const query = { outcome: undefined, text: undefined, offset: 0, limit: 50 };
      expect(listScimRequests(sql, { ...query, outcome: "error" }).rows.map((row) => row.status)).toEqual([401, 400]);
      expect(listScimRequests(sql, { ...query, outcome: "ok" }).rows.map((row) => row.status)).toEqual([201]);
      expect(listScimRequests(sql, { ...query, text: "100%" }).rows.map((row) => row.status)).toEqual([400]);
      expect(listScimRequests(sql, { ...query, text: "%" }).total).toBe(1);
      expect(listScimRequests(sql, { ...query, text: "s_r" }).total).toBe(0);
      expect(listScimRequests(sql, { ...query, text: "patch" }).total).toBe(1);
      expect(listScimRequests(sql, { ...query, text: "401" }).total).toBe(1);
    });
  });

  it("the summary keeps the last definite dialect, however many requests follow it", async () => {
    await runInDurableObject(freshObject(), async (_, state) => {
      const sql = state.storage.sql;
      expect(summariseScimRequests(sql)).toEqual({ last: null, dialect: null });
      appendScimRequest(sql, entry(1, { method: "PUT", dialect: "okta-wizard" }));
      appendScimRequest(sql, entry(2, { method: "PATCH", dialect: "okta-catalog" }));
      for (let index = 3; index <= SCIM_REQUEST_LOG_ROWS + 10; index++) appendScimRequest(sql, entry(index));
      const summary = summariseScimRequests(sql);
      expect(summary.dialect).toEqual({ dialect: "okta-catalog", at: entry(2).at });
      expect(summary.last!.path).toBe(`/okta/scim/v2/Users?n=${SCIM_REQUEST_LOG_ROWS + 10}`);
    });
  });

  it("survives the tenant's storage being wiped (deleteTenant) and refuses another tenant", async () => {
    const stub = freshObject();
    await runInDurableObject(stub, async (instance, state) => {
      const object = instance as TenantDurableObject;
      await object.recordScimRequest("tn_owner", entry(1));
      await state.storage.deleteAll();
      await object.recordScimRequest("tn_owner", entry(2));
      expect((await object.listScimRequests("tn_owner", { outcome: undefined, text: undefined, offset: 0, limit: 10 })).total).toBe(1);
      await expect(object.listScimRequests("tn_intruder", { outcome: undefined, text: undefined, offset: 0, limit: 10 })).rejects.toThrow(/another tenant/);
    });
  });
});

/**
 * The SCIM request log is written through waitUntil after each answer, so a test reads it by polling the tenant
 * Durable Object until the rows it expects are there (bounded: a missing row fails the test, it does not hang).
 */
import { env } from "cloudflare:test";
import type { ScimRequestRow } from "../../src/tenant-do/request-log";
import { tenantWriter } from "../../src/tenant-do/stub";
import type { TestTenant } from "./tenant";

const POLLS = 200;
const POLL_INTERVAL_MS = 10;

export async function scimRequestsOf(tenant: TestTenant): Promise<ScimRequestRow[]> {
  const page = await tenantWriter(env, tenant.id).listScimRequests(tenant.id, { outcome: undefined, text: undefined, offset: 0, limit: 5000 });
  return page.rows;
}

/** The log once it holds at least `count` rows, newest first. */
export async function waitForScimRequests(tenant: TestTenant, count: number): Promise<ScimRequestRow[]> {
  let rows: ScimRequestRow[] = [];
  for (let poll = 0; poll < POLLS; poll++) {
    rows = await scimRequestsOf(tenant);
    if (rows.length >= count) return rows;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`expected ${count} SCIM requests in the log, found ${rows.length}`);
}


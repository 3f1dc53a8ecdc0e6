/** Helpers for provisioning-job tests: users in bulk, the tenant's Durable Object, jobs polled to completion. */
import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { JobView } from "../../src/provisioning/job-rows";
import { armProvisioningFaults, type ProvisioningFaults } from "../../src/tenant-do/test-faults";
import type { TenantDurableObject } from "../../src/tenant-do/tenant-do";
import { operator, patchBody, scim, type TestTenant } from "./tenant";

/**
 * `count` users written straight to D1 (ids `usr_{tenant}_{n}`, n zero-padded, so they sort in creation order), in
 * one statement: these tests are about group pushes, and SCIM creates at this volume would meet the test rate
 * limit (vitest.config.ts).
 */
export async function insertUsers(tenant: TestTenant, count: number): Promise<string[]> {
  const now = Date.now();
  const prefix = `${tenant.id.slice(3)}_`;
  await env.DB.prepare(
    `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < ?1)
     INSERT INTO users (id, tenant_id, user_name, user_name_key, active, display_name, data, source, version, created_at, updated_at)
     SELECT 'usr_' || ?2 || printf('%05d', n), ?3, ?2 || n || '@bulk.test', ?2 || n || '@bulk.test', 1, 'Bulk ' || n,
            json_object('userName', ?2 || n || '@bulk.test', 'active', json('true')), 'scim', 1, ?4, ?4 FROM seq`,
  )
    .bind(count, prefix, tenant.id, now)
    .run();
  return Array.from({ length: count }, (_, n) => `usr_${prefix}${String(n).padStart(5, "0")}`);
}

export function tenantObject(tenant: TestTenant): DurableObjectStub<TenantDurableObject> {
  return env.TENANT_DO.get(env.TENANT_DO.idFromName(tenant.id));
}

/** Arms the test-only fault hooks (src/tenant-do/test-faults.ts) inside the tenant's Durable Object. */
export async function armFaults(tenant: TestTenant, faults: ProvisioningFaults): Promise<void> {
  await runInDurableObject(tenantObject(tenant), (_, state) => armProvisioningFaults(state.storage, faults));
}

export async function listJobs(tenant: TestTenant): Promise<JobView[]> {
  const reply = await operator("GET", `/tenants/${tenant.slug}/jobs`);
  expect(reply.status).toBe(200);
  return reply.body.jobs as JobView[];
}

const POLL_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 20;

/**
 * Polls the operator API until every job of the tenant has finished (done or failed), for at most
 * POLL_DEADLINE_MS; a job still running then fails the test with its state, instead of a timing guess passing.
 */
export async function waitForJobs(tenant: TestTenant, expected = 1): Promise<JobView[]> {
  const deadline = Date.now() + POLL_DEADLINE_MS;
  for (;;) {
    const jobs = await listJobs(tenant);
    if (jobs.length >= expected && jobs.every((job) => job.state === "done" || job.state === "failed")) return jobs;
    if (Date.now() > deadline) throw new Error(`jobs still unfinished after ${POLL_DEADLINE_MS} ms: ${JSON.stringify(jobs)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

export async function memberIds(tenant: TestTenant, groupId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT user_id AS id FROM group_members WHERE tenant_id = ? AND group_id = ? ORDER BY user_id").bind(tenant.id, groupId).all<{ id: string }>();
  return rows.results.map((row) => row.id);
}

export interface EventRow {
  type: string;
  resourceId: string | null;
  data: { count?: number; members?: string[]; jobId?: string; batchId?: string; [key: string]: unknown };
}

/** The tenant's outbox, in commit order. */
export async function eventsOf(tenant: TestTenant): Promise<EventRow[]> {
  const rows = await env.DB.prepare("SELECT type, resource_id AS resourceId, data FROM events WHERE tenant_id = ? ORDER BY seq").bind(tenant.id).all<{ type: string; resourceId: string | null; data: string }>();
  return rows.results.map((row) => ({ type: row.type, resourceId: row.resourceId, data: JSON.parse(row.data) as EventRow["data"] }));
}

/** Membership as the host app would rebuild it from `group.members_added` / `group.members_removed` events. */
export function membersFromEvents(events: readonly EventRow[], groupId: string): string[] {
  const members = new Set<string>();
  for (const event of events) {
    if (event.resourceId !== groupId) continue;
    if (event.type === "group.members_added") for (const id of event.data.members ?? []) members.add(id);
    if (event.type === "group.members_removed") for (const id of event.data.members ?? []) members.delete(id);
  }
  return [...members].sort();
}

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export const asMembers = (ids: readonly string[]) => ids.map((value) => ({ value }));

export async function emptyGroup(tenant: TestTenant, displayName = "Everyone"): Promise<string> {
  const created = await scim(tenant, "POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

export const addMembers = (ids: readonly string[]) => patchBody({ op: "add", path: "members", value: asMembers(ids) });

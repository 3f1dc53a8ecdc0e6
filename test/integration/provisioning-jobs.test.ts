/**
 * Issue 5 §1: large membership pushes become provisioning jobs, applied in batches of at most 100 through the
 * real `gatehouse-provisioning` queue (and its dead-letter queue) — answered at once, applied exactly once,
 * failures retried and finally reported with their reason. Order and redelivery: provisioning-order.test.ts.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signInToConsole, view } from "../helpers/console";
import { addMembers, armFaults, asMembers, emptyGroup, eventsOf, GROUP_SCHEMA, insertUsers, listJobs, memberIds, membersFromEvents, tenantObject, waitForJobs } from "../helpers/provisioning";
import { createTestTenant, operator, scim } from "../helpers/tenant";

describe("a 2,500-member push", () => {
  it("is answered at once and applied exactly once, in 25 batches, each with its event", async () => {
    const tenant = await createTestTenant("bulk");
    const users = await insertUsers(tenant, 2500);
    const groupId = await emptyGroup(tenant);

    const patched = await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users));
    expect(patched.status).toBe(204);
    expect(patched.headers.get("etag")).toBe('W/"2"');
    // A GET while the job runs shows what is applied so far: whole batches, never more than was asked.
    const during = await scim(tenant, "GET", `/Groups/${groupId}`);
    expect(during.status).toBe(200);
    expect(during.body.members.length % 100).toBe(0);
    expect(during.body.members.length).toBeLessThanOrEqual(2500);

    const [job] = await waitForJobs(tenant);
    expect(job).toMatchObject({ kind: "group.members", groupId, groupName: "Everyone", state: "done", total: 2500, applied: 2500, failed: 0, batches: 25, batchesDone: 25, error: null });
    expect(job!.finishedAt).not.toBeNull();
    expect(await memberIds(tenant, groupId)).toEqual([...users].sort());

    const events = (await eventsOf(tenant)).filter((event) => event.resourceId === groupId);
    const added = events.filter((event) => event.type === "group.members_added");
    expect(added).toHaveLength(25);
    expect(added.every((event) => event.data.members!.length === 100 && event.data.count === 100 && event.data.jobId === job!.id)).toBe(true);
    expect(new Set(added.map((event) => event.data.batchId)).size).toBe(25);
    expect(membersFromEvents(events, groupId)).toEqual([...users].sort());
    // Created (1), the PATCH (2), then one version per applied batch: an ETag read mid-job never matches the end.
    expect((await scim(tenant, "GET", `/Groups/${groupId}`)).body.meta.version).toBe('W/"27"');
  });

  it("POST /Groups with 150 members creates the group at once (201, no members yet) and the job adds them", async () => {
    const tenant = await createTestTenant("bulk");
    const users = await insertUsers(tenant, 150);
    const created = await scim(tenant, "POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "Big", members: asMembers(users) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Big", members: [] });
    const [job] = await waitForJobs(tenant);
    expect(job).toMatchObject({ state: "done", total: 150, applied: 150, batches: 2 });
    expect(await memberIds(tenant, created.body.id)).toHaveLength(150);
    const [groupCreated] = (await eventsOf(tenant)).filter((event) => event.type === "group.created");
    expect(groupCreated!.data).toMatchObject({ displayName: "Big", membersAdded: 0, membersQueued: 150, jobId: job!.id });
  });

  it("100 changes or fewer are still written at once, with no job", async () => {
    const tenant = await createTestTenant("bulk");
    const users = await insertUsers(tenant, 100);
    const groupId = await emptyGroup(tenant);
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    expect(await memberIds(tenant, groupId)).toHaveLength(100);
    expect(await listJobs(tenant)).toEqual([]);
  });
});

describe("failures", () => {
  it("a batch whose transaction fails half-way is retried, and applied once", async () => {
    const tenant = await createTestTenant("retry");
    const users = await insertUsers(tenant, 300);
    const groupId = await emptyGroup(tenant);
    await armFaults(tenant, { failBatch: { index: 1, times: 1 } });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    const [job] = await waitForJobs(tenant);
    expect(job).toMatchObject({ state: "done", total: 300, applied: 300, failed: 0, error: null });
    expect(await memberIds(tenant, groupId)).toHaveLength(300);
    const added = (await eventsOf(tenant)).filter((event) => event.type === "group.members_added");
    expect(added.map((event) => event.data.batchId)).toHaveLength(3);
    const batch = await runInDurableObject(tenantObject(tenant), (_, state) =>
      state.storage.sql.exec<{ state: string; attempts: number }>("SELECT state, attempts FROM provisioning_batches WHERE id = ?", `${job!.id}:0001`).one(),
    );
    expect(batch).toEqual({ state: "applied", attempts: 1 });
  });

  it("a poison batch ends in the dead-letter queue: the job fails with the reason, the other batches apply", async () => {
    const tenant = await createTestTenant("poison");
    const users = await insertUsers(tenant, 300);
    const groupId = await emptyGroup(tenant);
    await armFaults(tenant, { failBatch: { index: 1, times: 1000 } });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    const [job] = await waitForJobs(tenant);
    expect(job).toMatchObject({ state: "failed", total: 300, applied: 200, failed: 100, batches: 3, batchesDone: 3 });
    // wrangler.toml: max_retries = 3, so four attempts, each recorded by the Durable Object.
    expect(job!.error).toMatch(/^Batch 2 of 3 failed: .*gatehouse_test_fault_injected.*\(gave up after 4 attempts\)$/);
    const members = await memberIds(tenant, groupId);
    expect(members).toEqual([...users.slice(0, 100), ...users.slice(200)].sort());
    expect((await eventsOf(tenant)).filter((event) => event.type === "group.members_added")).toHaveLength(2);
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE tenant_id = ? AND action = 'provisioning_job.batch_failed'").bind(tenant.id).all<{ detail: string }>();
    expect(audit.results.map((row) => JSON.parse(row.detail))).toEqual([{ batchId: `${job!.id}:0001`, items: 100, reason: job!.error }]);

    // The console's overview lists it among the recently finished, with its reason.
    const session = await signInToConsole(tenant);
    const overview = (await view(tenant, session, "/settings/okta")).html;
    expect(overview).toContain("Recently finished");
    expect(overview).toContain("gave up after 4 attempts");
  });
});

describe("tenant-wide", () => {
  it("deleting the tenant mid-job removes everything; the job's late messages find nothing and are acked", async () => {
    const tenant = await createTestTenant("gone");
    const users = await insertUsers(tenant, 150);
    const groupId = await emptyGroup(tenant);
    await armFaults(tenant, { holdSends: true });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    const [job] = await listJobs(tenant);
    expect((await operator("DELETE", `/tenants/${tenant.slug}`)).body).toMatchObject({ deleted: true, users: 150, groups: 1 });
    expect(await tenantObject(tenant).applyProvisioningBatch(tenant.id, `${job!.id}:0000`)).toBe("unknown");
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM provisioning_jobs WHERE tenant_id = ?").bind(tenant.id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("the operator API lists jobs newest first and checks its input", async () => {
    const tenant = await createTestTenant("ops");
    expect((await operator("GET", `/tenants/${tenant.slug}/jobs`)).body).toEqual({ jobs: [] });
    expect((await operator("GET", `/tenants/${tenant.slug}/jobs?limit=0`)).body.code).toBe("invalid_limit");
    expect((await operator("GET", "/tenants/no-such-tenant/jobs")).status).toBe(404);
  });

  it("the console's overview shows a job in progress with a progress bar", async () => {
    const tenant = await createTestTenant("console");
    const users = await insertUsers(tenant, 120);
    const groupId = await emptyGroup(tenant, "Engineering");
    await armFaults(tenant, { holdSends: true });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    const session = await signInToConsole(tenant);
    const running = (await view(tenant, session, "/settings/okta")).html;
    expect(running).toMatch(/<progress value="0" max="120"[^>]*>0%<\/progress>/);
    expect(running).toContain("Members of Engineering");
    expect(running).toContain("0 of 120 applied");
    await armFaults(tenant, {});
    await runDurableObjectAlarm(tenantObject(tenant));
    await waitForJobs(tenant);
    const finished = (await view(tenant, session, "/settings/okta")).html;
    expect(finished).not.toContain("<progress");
    expect(finished).toContain("120 of 120 applied");
  });
});

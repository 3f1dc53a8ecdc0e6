/**
 * Issue 5 §1, order and redelivery: requests that arrive while a group's job runs end in the membership their
 * arrival order gives, and a batch delivered (or applied) twice changes nothing.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { addMembers, armFaults, asMembers, emptyGroup, eventsOf, GROUP_SCHEMA, insertUsers, listJobs, memberIds, membersFromEvents, tenantObject, waitForJobs } from "../helpers/provisioning";
import { createTestTenant, patchBody, scim } from "../helpers/tenant";

describe("order", () => {
  it("interleaved requests on one group end in the membership their arrival order gives", async () => {
    const tenant = await createTestTenant("order");
    const u = await insertUsers(tenant, 600);
    const groupId = await emptyGroup(tenant, "Order");
    const expected = new Set<string>();
    const apply = (add: string[], remove: string[]) => {
      for (const id of add) expected.add(id);
      for (const id of remove) expected.delete(id);
    };
    // Held: the jobs' messages are not sent until the alarm sends them, so every later request meets pending work.
    await armFaults(tenant, { holdSends: true });

    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(u.slice(0, 50)))).status).toBe(204); // small: at once
    apply(u.slice(0, 50), []);
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(u.slice(50, 350)))).status).toBe(204); // job A
    apply(u.slice(50, 350), []);
    const removal = patchBody(...[...u.slice(100, 150), ...u.slice(0, 10)].map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })));
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, removal)).status).toBe(204); // 50 withdrawn from A, 10 at once
    apply([], [...u.slice(100, 150), ...u.slice(0, 10)]);
    const target = [...u.slice(0, 5), ...u.slice(200, 600)];
    const put = await scim(tenant, "PUT", `/Groups/${groupId}`, { schemas: [GROUP_SCHEMA], displayName: "Order renamed", members: asMembers(target) });
    expect(put.status).toBe(200); // job B: 255 members to add and 40 applied ones to remove; 100 more withdrawn from A
    expect(put.body.displayName).toBe("Order renamed");
    expect(put.body.members.map((m: { value: string }) => m.value).sort()).toEqual(await memberIds(tenant, groupId));
    expected.clear();
    apply(target, []);
    const last = patchBody({ op: "remove", path: `members[value eq "${u[300]}"]` }, { op: "add", path: "members", value: asMembers([u[0]!, u[599]!]) });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, last)).status).toBe(204);
    apply([u[0]!, u[599]!], [u[300]!]);

    // Nothing queued has been applied yet: a GET shows exactly what is.
    const during = await scim(tenant, "GET", `/Groups/${groupId}`);
    expect(during.body.members.map((m: { value: string }) => m.value).sort()).toEqual(u.slice(10, 50).sort());

    await armFaults(tenant, {});
    expect(await runDurableObjectAlarm(tenantObject(tenant))).toBe(true);
    const jobs = await waitForJobs(tenant, 2);
    expect(await memberIds(tenant, groupId)).toEqual([...expected].sort());
    expect(membersFromEvents(await eventsOf(tenant), groupId)).toEqual([...expected].sort());
    // A gave 151 of its 300 back to later requests (50 + 100 + 1): it applies the 149 left.
    const outcomes = jobs.map((job) => ({ state: job.state, total: job.total, applied: job.applied })).sort((a, b) => a.total - b.total);
    expect(outcomes).toEqual([
      { state: "done", total: 149, applied: 149 },
      { state: "done", total: 295, applied: 295 },
    ]);
  });

  it("DELETE of the group mid-job deletes it at once and cancels the job", async () => {
    const tenant = await createTestTenant("order");
    const users = await insertUsers(tenant, 250);
    const groupId = await emptyGroup(tenant);
    await armFaults(tenant, { holdSends: true });
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    expect((await scim(tenant, "DELETE", `/Groups/${groupId}`)).status).toBe(204);
    const [job] = await listJobs(tenant);
    expect(job).toMatchObject({ state: "done", total: 0, applied: 0, batchesDone: 3, groupName: null });
    await armFaults(tenant, {});
    await runDurableObjectAlarm(tenantObject(tenant));
    expect(await memberIds(tenant, groupId)).toEqual([]);
    expect((await eventsOf(tenant)).map((event) => event.type)).toEqual(["group.created", "group.deleted"]);
  });
});

describe("redelivery", () => {
  async function finishedPush(prefix: string) {
    const tenant = await createTestTenant(prefix);
    const users = await insertUsers(tenant, 150);
    const groupId = await emptyGroup(tenant);
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, addMembers(users))).status).toBe(204);
    const [job] = await waitForJobs(tenant);
    // A later, direct change to members the first batch added: a replayed batch must not undo it.
    const removal = patchBody(...users.slice(0, 10).map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })));
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, removal)).status).toBe(204);
    const snapshot = async () => ({ members: await memberIds(tenant, groupId), events: (await eventsOf(tenant)).length, version: (await scim(tenant, "GET", `/Groups/${groupId}`)).body.meta.version, jobs: await listJobs(tenant) });
    return { tenant, job: job!, snapshot, before: await snapshot() };
  }

  it("a message for an applied batch is acked and changes nothing", async () => {
    const { tenant, job, snapshot, before } = await finishedPush("redeliver");
    const batch = createMessageBatch("gatehouse-provisioning", [
      { id: "again", timestamp: new Date(), attempts: 1, body: { tenantId: tenant.id, batchId: `${job.id}:0000` } },
      { id: "unknown", timestamp: new Date(), attempts: 1, body: { tenantId: tenant.id, batchId: "job_doesnotexist:0000" } },
      { id: "malformed", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["again", "malformed", "unknown"]);
    expect(result.retryMessages).toEqual([]);
    expect(await tenantObject(tenant).applyProvisioningBatch(tenant.id, `${job.id}:0001`)).toBe("already_settled");
    expect(await snapshot()).toEqual(before);
  });

  it("a batch re-applied after its D1 write committed (an object reset mid-step) changes nothing", async () => {
    const { tenant, job, snapshot, before } = await finishedPush("reapply");
    // As a reset between the D1 commit and the settle would leave it: still `applying`, its items still pending.
    const batchId = `${job.id}:0000`;
    await runInDurableObject(tenantObject(tenant), (_, state) => {
      state.storage.sql.exec("UPDATE provisioning_batches SET state = 'applying', settled_at = NULL WHERE id = ?", batchId);
      state.storage.sql.exec("INSERT INTO provisioning_items (lane, item, batch_id) SELECT ?, value, ? FROM json_each(?)", job.groupId, batchId, JSON.stringify(before.members.slice(0, 5)));
    });
    expect(await tenantObject(tenant).applyProvisioningBatch(tenant.id, batchId)).toBe("applied");
    const after = await snapshot();
    expect(after.members).toEqual(before.members);
    expect(after.events).toBe(before.events);
    expect(after.version).toBe(before.version);
  });
});

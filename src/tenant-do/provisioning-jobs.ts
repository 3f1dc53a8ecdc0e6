/**
 * Provisioning jobs, the tenant Durable Object's side (issue 5 §1): a change too large for one step — more than
 * BATCH_SIZE memberships, a whole directory to delete — is recorded as a job (its D1 row, in the same D1 batch as
 * the request's own writes), cut into batches kept in this object's storage (provisioning-store.ts), and sent to
 * the `provisioning` queue; the consumer (src/queues/provisioning.ts) brings each batch back here to be applied,
 * in the write lane like every other write.
 *
 * Ordering — why a later request never has to wait for a job, and still ends where arrival order says:
 *  - A group's member has at most one pending operation across all of that group's jobs (the store's key). So
 *    pending batches never touch the same member and can be applied in any order, or concurrently delivered,
 *    with the same result: the queue's reordering and retries cannot change the outcome.
 *  - A later request on the group is resolved against the membership the group will have once its pending
 *    operations are applied (src/scim/membership-schedule.ts), exactly as if the earlier jobs had finished. Where
 *    its change meets a pending operation it can only be the opposite one (the request undoes it): that item is
 *    withdrawn from its batch, and the D1 state — which never had it — is already right. Everything else in the
 *    change is new: written at once if small, or a job of its own if large.
 *  - DELETE of the group cancels its pending batches in the same step; removing the integration cancels all.
 * So the final membership is that of the requests applied one by one in arrival order, while a GET at any moment
 * shows what is applied so far. A withdrawn item leaves its job's `total` (the job applies fewer members) and is
 * recorded in the audit log (`provisioning_job.superseded`; provisioning-supersede.ts).
 *
 * Exactly once: a batch is marked `applying` before its D1 transaction and settled right after it; applying
 * writes only what would still change (src/provisioning/apply-batch.ts) and the job row's absolute numbers, so a
 * redelivered or re-run batch changes nothing. A batch found `applying` when the object starts (it was reset
 * mid-write, so D1 may or may not have committed) is re-applied before anything else runs.
 *
 * Failures: an attempt that fails is recorded (attempts, reason), answered `failed`, and the consumer retries the
 * message with backoff; after the queue's last retry the dead-letter consumer calls failBatch: the batch settles as failed
 * with that reason, and the job ends `failed` once its other batches settle. A send that fails, or a message
 * lost, is covered by the alarm, which sends every batch still pending after REDRIVE_AFTER_MS again.
 */
import { runBatch, type BatchItem } from "../db/batch";
import { openDatabase } from "../db/client";
import type { Env } from "../env";
import { newId } from "../lib/ids";
import { batchWrite } from "../provisioning/apply-batch";
import { BATCH_SIZE, batchIndexOf, isSettled, planBatches, summariseJob, type BatchOperation, type JobKind, type ProvisioningMessage } from "../provisioning/batches";
import { insertJobStatement, jobProgressStatement } from "../provisioning/job-rows";
import type { MembershipChange } from "../scim/group-membership";
import type { MembershipScheduler, PendingMembership, ScheduledMembership } from "../scim/membership-schedule";
import { auditEntry, type WriteContext } from "../scim/write-context";
import {
  batchStatuses,
  findBatch,
  interruptedBatches,
  itemsOf,
  markApplying,
  markPending,
  markSent,
  pendingItems,
  recordAttemptFailure,
  settleBatch,
  stageBatches,
  unsettledBatches,
  type PendingItem,
  type StoredBatch,
} from "./provisioning-store";
import { cancelChange, combineStaged, progressAfter, withdrawChange, type StagedJobChange } from "./provisioning-supersede";
import { FAULT_STATEMENT, sendsHeld, takeBatchFault } from "./test-faults";

/** A pending batch not applied this long after it was sent is sent again (duplicates are harmless). */
const REDRIVE_AFTER_MS = 10 * 60 * 1000;
/** After a failed send, the alarm tries again this soon. */
const SEND_RETRY_MS = 30 * 1000;
/** Queue.sendBatch takes at most 100 messages. */
const SEND_CHUNK = 100;
/** Longest failure reason kept per attempt. */
const MAX_REASON_LENGTH = 300;

/** `failed`: this attempt failed (its reason is recorded on the batch) and nothing of it was written; retry. */
export type ApplyOutcome = "applied" | "already_settled" | "unknown" | "failed";
export type FailOutcome = "failed" | "already_settled" | "unknown";

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_REASON_LENGTH);
}

export class ProvisioningJobs implements MembershipScheduler {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
  ) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  pending(groupId: string, ids?: readonly string[]): PendingMembership {
    const adds = new Set<string>();
    const removes = new Set<string>();
    for (const [id, item] of pendingItems(this.sql, groupId, ids)) (item.operation === "add_members" ? adds : removes).add(id);
    return { adds, removes };
  }

  schedule(context: WriteContext, groupId: string, change: MembershipChange): ScheduledMembership {
    const pending = pendingItems(this.sql, groupId, [...change.add, ...change.remove]);
    const now: MembershipChange = { add: [], remove: [] };
    const withdrawn: (PendingItem & { item: string })[] = [];
    // An item already pending with the same operation needs nothing more; with the opposite one, it is withdrawn.
    for (const [ids, target, opposite] of [
      [change.add, now.add, "remove_members"],
      [change.remove, now.remove, "add_members"],
    ] as const) {
      for (const id of ids) {
        const item = pending.get(id);
        if (!item) target.push(id);
        else if (item.operation === opposite) withdrawn.push({ ...item, item: id });
      }
    }
    const withdrawal = withdrawChange(this.storage, context, groupId, withdrawn);
    if (now.add.length + now.remove.length <= BATCH_SIZE) return { now, ...withdrawal };
    const job = this.start(context, "group.members", groupId, groupId, [
      { operation: "add_members", items: now.add },
      { operation: "remove_members", items: now.remove },
    ]);
    return { now: { add: [], remove: [] }, ...combineStaged(withdrawal, job) };
  }

  cancelGroup(context: WriteContext, groupId: string): ScheduledMembership {
    return { now: { add: [], remove: [] }, ...cancelChange(this.storage, context, groupId) };
  }

  /** Cancels every unfinished job of the tenant (the integration is being removed). */
  cancelAll(context: WriteContext): StagedJobChange {
    return cancelChange(this.storage, context, undefined);
  }

  /** A new job of the given parts, each cut into batches of at most BATCH_SIZE. */
  start(context: WriteContext, kind: JobKind, lane: string, groupId: string | null, parts: { operation: BatchOperation; items: readonly string[] }[]): StagedJobChange {
    const jobId = newId("job");
    const batches = planBatches(jobId, lane, parts);
    const progress = summariseJob(batches.map((batch) => ({ id: batch.id, state: "pending", size: batch.items.length, error: null, settledAt: null })));
    return {
      jobId,
      statements: [
        insertJobStatement(context, { id: jobId, kind, groupId, progress }),
        auditEntry(context, "provisioning_job.created", "ProvisioningJob", jobId, { kind, groupId, total: progress.total, batches: progress.batches }),
      ],
      committed: async () => {
        stageBatches(this.storage, jobId, batches, context, context.now);
        await this.send(context.tenantId, batches.map((batch) => batch.id), context.now);
      },
    };
  }

  /** Applies one batch to D1 (called in the write lane). */
  async applyBatch(tenantId: string, batchId: string): Promise<ApplyOutcome> {
    const batch = findBatch(this.sql, batchId);
    if (!batch) return "unknown";
    if (isSettled(batch.state)) return "already_settled";
    const context = this.batchContext(tenantId, batch);
    try {
      const items = itemsOf(this.sql, batchId);
      const write = await batchWrite(context, batch.lane, batch.operation, items, { jobId: batch.jobId, batchId });
      const progress = progressAfter(this.sql, batch.jobId, (status) => (status.id === batchId ? { ...status, state: "applied", settledAt: context.now } : status));
      const statements: BatchItem[] = [...write.statements, jobProgressStatement(context, batch.jobId, progress)];
      if (takeBatchFault(this.env, this.storage, batchIndexOf(batchId))) statements.push(context.d1.prepare(FAULT_STATEMENT));
      markApplying(this.sql, batchId);
      await runBatch(context.d1, statements);
    } catch (error) {
      // D1 rolled the whole batch back; the reason is kept for the failure the dead-letter queue may report.
      recordAttemptFailure(this.sql, batchId, reasonOf(error));
      console.error(JSON.stringify({ at: "provisioning_batch_failed", tenantId, batchId, attempt: batch.attempts + 1, error: reasonOf(error) }));
      return "failed";
    }
    settleBatch(this.storage, batchId, "applied", context.now);
    return "applied";
  }

  /** The queue gave up on a batch (dead-letter queue): it settles as failed, with the last reason recorded. */
  async failBatch(tenantId: string, batchId: string): Promise<FailOutcome> {
    const batch = findBatch(this.sql, batchId);
    if (!batch) return "unknown";
    if (isSettled(batch.state)) return "already_settled";
    const context = this.batchContext(tenantId, batch);
    const why = batch.lastError === null ? "its message never reached the tenant's Durable Object" : `${batch.lastError} (gave up after ${batch.attempts} attempts)`;
    const reason = `Batch ${batchIndexOf(batchId) + 1} of ${batchStatuses(this.sql, batch.jobId).length} failed: ${why}`;
    const progress = progressAfter(this.sql, batch.jobId, (status) => (status.id === batchId ? { ...status, state: "failed", error: reason, settledAt: context.now } : status));
    await runBatch(context.d1, [
      jobProgressStatement(context, batch.jobId, progress),
      auditEntry(context, "provisioning_job.batch_failed", "ProvisioningJob", batch.jobId, { batchId, items: batch.size, reason }),
    ]);
    settleBatch(this.storage, batchId, "failed", context.now, reason);
    return "failed";
  }

  /** Batches left `applying` by a reset, re-applied before the object takes any other request. */
  hasInterrupted(): boolean {
    return interruptedBatches(this.sql).length > 0;
  }

  async recoverInterrupted(tenantId: string): Promise<void> {
    for (const batchId of interruptedBatches(this.sql)) {
      markPending(this.sql, batchId);
      // A failure is recorded on the batch; its message (retried by the queue, or re-sent by the alarm) comes back.
      await this.applyBatch(tenantId, batchId);
    }
  }

  /** The alarm: sends again what is still pending long after it was sent (or was never sent). */
  async alarm(tenantId: string, now: number): Promise<void> {
    const unsettled = unsettledBatches(this.sql);
    if (unsettled.length === 0) return;
    const due = unsettled.filter((batch) => batch.state === "pending" && (batch.sentAt === null || batch.sentAt <= now - REDRIVE_AFTER_MS));
    if (due.length > 0) await this.send(tenantId, due.map((batch) => batch.id), now);
    else await this.wakeBy(now + REDRIVE_AFTER_MS);
  }

  private async send(tenantId: string, batchIds: readonly string[], now: number): Promise<void> {
    // Armed first: whatever happens to the send below, the alarm will look at these batches again.
    await this.wakeBy(now + REDRIVE_AFTER_MS);
    if (sendsHeld(this.env, this.storage)) return;
    try {
      for (let start = 0; start < batchIds.length; start += SEND_CHUNK) {
        const chunk = batchIds.slice(start, start + SEND_CHUNK);
        await this.env.PROVISIONING_QUEUE.sendBatch(chunk.map((batchId) => ({ body: { tenantId, batchId } satisfies ProvisioningMessage })));
        markSent(this.sql, chunk, Date.now());
      }
    } catch (error) {
      // The change is recorded and the IdP's request succeeded; only delivery is late. The alarm sends again.
      console.error(JSON.stringify({ at: "provisioning_send_failed", tenantId, batches: batchIds.length, error: reasonOf(error) }));
      await this.wakeBy(now + SEND_RETRY_MS);
    }
  }

  /** The alarm is shared with the outbox (outbox-delivery.ts): only ever moved earlier here, never later. */
  private async wakeBy(at: number): Promise<void> {
    const current = await this.storage.getAlarm();
    if (current === null || current > at) await this.storage.setAlarm(at);
  }

  private batchContext(tenantId: string, batch: StoredBatch): WriteContext {
    // The audit rows (and events) of a batch name the request that asked for the change.
    return { db: openDatabase(this.env.DB), d1: this.env.DB, tenantId, actor: batch.actor, requestId: batch.requestId, baseUrl: "", now: Date.now() };
  }
}

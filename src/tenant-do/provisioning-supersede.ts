/**
 * When later writes supersede pending batches (provisioning-jobs.ts explains why that keeps arrival order): items
 * withdrawn from their batches by a request that undoes them, or whole batches cancelled when their group (or the
 * integration) goes. Each comes as the D1 statements of the request's own batch — the affected jobs' new numbers
 * and an audit row — and the storage change to make once that batch has committed.
 */
import type { BatchItem } from "../db/batch";
import { summariseJob, type BatchStatus, type JobProgress } from "../provisioning/batches";
import { jobProgressStatement } from "../provisioning/job-rows";
import { auditEntry, type WriteContext } from "../scim/write-context";
import { batchStatuses, cancelBatches, unsettledBatches, withdrawItems, type PendingItem } from "./provisioning-store";

/** D1 statements for the request's own batch, and what to do in this object's storage once it committed. */
export interface StagedJobChange {
  jobId: string | null;
  statements: BatchItem[];
  committed(): Promise<void>;
}

export const NOTHING_STAGED: StagedJobChange = { jobId: null, statements: [], committed: async () => undefined };

export function combineStaged(first: StagedJobChange, second: StagedJobChange): StagedJobChange {
  return {
    jobId: second.jobId ?? first.jobId,
    statements: [...first.statements, ...second.statements],
    committed: async () => {
      await first.committed();
      await second.committed();
    },
  };
}

/** A job's progress once `change` is made to its batches (computed before the change, written with it). */
export function progressAfter(sql: SqlStorage, jobId: string, change: (status: BatchStatus) => BatchStatus): JobProgress {
  return summariseJob(batchStatuses(sql, jobId).map(change));
}

/** Takes withdrawn items out of their batches; the jobs they came from get their new totals in the same step. */
export function withdrawChange(storage: DurableObjectStorage, context: WriteContext, lane: string, withdrawn: readonly (PendingItem & { item: string })[]): StagedJobChange {
  if (withdrawn.length === 0) return NOTHING_STAGED;
  const perBatch = new Map<string, number>();
  const perJob = new Map<string, number>();
  for (const { batchId, jobId } of withdrawn) {
    perBatch.set(batchId, (perBatch.get(batchId) ?? 0) + 1);
    perJob.set(jobId, (perJob.get(jobId) ?? 0) + 1);
  }
  const statements = [...perJob].flatMap(([jobId, count]) => {
    const progress = progressAfter(storage.sql, jobId, (status) => {
      const taken = perBatch.get(status.id);
      if (!taken) return status;
      const size = status.size - taken;
      return size === 0 ? { ...status, size, state: "cancelled", settledAt: context.now } : { ...status, size };
    });
    return [jobProgressStatement(context, jobId, progress), auditEntry(context, "provisioning_job.superseded", "ProvisioningJob", jobId, { groupId: lane, withdrawn: count })];
  });
  const items = withdrawn.map((entry) => entry.item);
  return { jobId: null, statements, committed: async () => withdrawItems(storage, lane, items, context.now) };
}

/** Cancels every unsettled batch of a lane (every lane when absent): a deleted group, a removed integration. */
export function cancelChange(storage: DurableObjectStorage, context: WriteContext, lane: string | undefined): StagedJobChange {
  const cancelled = unsettledBatches(storage.sql, lane);
  if (cancelled.length === 0) return NOTHING_STAGED;
  const ids = new Set(cancelled.map((batch) => batch.id));
  const statements = [...new Set(cancelled.map((batch) => batch.jobId))].flatMap((jobId) => [
    jobProgressStatement(context, jobId, progressAfter(storage.sql, jobId, (status) => (ids.has(status.id) ? { ...status, size: 0, state: "cancelled", settledAt: context.now } : status))),
    auditEntry(context, "provisioning_job.cancelled", "ProvisioningJob", jobId, { lane: lane ?? "all" }),
  ]);
  return { jobId: null, statements, committed: async () => cancelBatches(storage, lane, context.now) };
}

/**
 * Provisioning jobs in batches (issue 5 §1), the pure part: how a large change is cut into batches of at most
 * BATCH_SIZE items, how batches are named, and what a job's progress is, given the state of its batches. No I/O:
 * the tenant's Durable Object keeps the batches (src/tenant-do/provisioning-store.ts) and projects this progress
 * onto the job's D1 row in the same D1 transaction as each change (src/provisioning/job-rows.ts).
 */

/** At most this many memberships (or deletions) per batch: one queue message, one D1 transaction. */
export const BATCH_SIZE = 100;

export type BatchOperation = "add_members" | "remove_members" | "delete_groups" | "delete_users";

/** pending → (applying →) applied | failed; `cancelled` when later requests took all of its items back. */
export type BatchState = "pending" | "applying" | "applied" | "failed" | "cancelled";

export type JobKind = "group.members" | "integration.remove";

export type JobState = "queued" | "running" | "done" | "failed";

/** The lane of tenant-wide jobs; group jobs use the group id as their lane. */
export const TENANT_LANE = "tenant";

export interface PlannedBatch {
  id: string;
  operation: BatchOperation;
  lane: string;
  items: string[];
}

/** `job_…:0007`: the job it belongs to, and its place in it (zero-padded, so ids sort in order). */
function batchIdOf(jobId: string, index: number): string {
  return `${jobId}:${String(index).padStart(4, "0")}`;
}

export function batchIndexOf(batchId: string): number {
  return Number(batchId.slice(batchId.lastIndexOf(":") + 1));
}

/** Cuts each part, in order, into batches of at most BATCH_SIZE items; a part never shares a batch with another. */
export function planBatches(jobId: string, lane: string, parts: readonly { operation: BatchOperation; items: readonly string[] }[]): PlannedBatch[] {
  const batches: PlannedBatch[] = [];
  for (const part of parts) {
    for (let start = 0; start < part.items.length; start += BATCH_SIZE) {
      batches.push({ id: batchIdOf(jobId, batches.length), operation: part.operation, lane, items: part.items.slice(start, start + BATCH_SIZE) });
    }
  }
  return batches;
}

export interface BatchStatus {
  id: string;
  state: BatchState;
  /** Items it holds (shrinks when a later request takes items back; 0 once cancelled). */
  size: number;
  error: string | null;
  settledAt: number | null;
}

export interface JobProgress {
  state: JobState;
  total: number;
  applied: number;
  failed: number;
  batches: number;
  batchesDone: number;
  /** The reason the first failed batch gave, if one failed. */
  error: string | null;
}

const SETTLED: readonly BatchState[] = ["applied", "failed", "cancelled"];

export function isSettled(state: BatchState): boolean {
  return SETTLED.includes(state);
}

/**
 * A job's progress, from its batches alone. The job row is always written with these absolute numbers (never
 * `applied = applied + n`), so writing the same step twice leaves the row as it was.
 */
export function summariseJob(batches: readonly BatchStatus[]): JobProgress {
  let total = 0;
  let applied = 0;
  let failed = 0;
  let batchesDone = 0;
  let firstFailure: BatchStatus | undefined;
  for (const batch of batches) {
    total += batch.size;
    if (batch.state === "applied") applied += batch.size;
    if (batch.state === "failed") {
      failed += batch.size;
      if (!firstFailure || (batch.settledAt ?? 0) < (firstFailure.settledAt ?? 0)) firstFailure = batch;
    }
    if (isSettled(batch.state)) batchesDone++;
  }
  const finished = batchesDone === batches.length;
  const state: JobState = finished ? (firstFailure ? "failed" : "done") : batchesDone > 0 ? "running" : "queued";
  return { state, total, applied, failed, batches: batches.length, batchesDone, error: firstFailure?.error ?? null };
}

/** What a queue message carries: which tenant's Durable Object holds the batch, and its id. Nothing else. */
export interface ProvisioningMessage {
  tenantId: string;
  batchId: string;
}

/** Messages are ours, but a malformed one (an old deployment's, a hand-sent one) must be dropped, not crash. */
export function parseProvisioningMessage(body: unknown): ProvisioningMessage | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const { tenantId, batchId } = body as Record<string, unknown>;
  if (typeof tenantId !== "string" || typeof batchId !== "string" || !/^job_[A-Za-z0-9_-]+:\d{4,}$/.test(batchId)) return null;
  return { tenantId, batchId };
}

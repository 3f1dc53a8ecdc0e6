/**
 * The batches of provisioning jobs, in the tenant Durable Object's own SQLite storage (issue 5 §1). D1 holds each
 * job's row (what the operator and the console read); the items of unfinished batches live only here.
 *
 * `provisioning_items` has one row per item of a batch not yet settled, keyed by (lane, item): a group's member
 * can have at most one pending operation across all of that group's jobs. That is what lets batches be applied
 * in any order (src/tenant-do/provisioning-jobs.ts explains the ordering design). Rows leave when their batch
 * settles; settled batch rows stay a while, so a redelivered message finds its batch already applied.
 */
import type { BatchOperation, BatchState, BatchStatus, PlannedBatch } from "../provisioning/batches";

/** Settled batches of finished jobs are kept this long (a redelivery after that finds "unknown" and is acked too). */
const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface StoredBatch {
  id: string;
  jobId: string;
  lane: string;
  operation: BatchOperation;
  state: BatchState;
  size: number;
  attempts: number;
  lastError: string | null;
  actor: string;
  requestId: string;
  sentAt: number | null;
}

export interface PendingItem {
  batchId: string;
  jobId: string;
  operation: BatchOperation;
}

interface BatchRow {
  id: string;
  job_id: string;
  lane: string;
  operation: BatchOperation;
  state: BatchState;
  size: number;
  attempts: number;
  last_error: string | null;
  actor: string;
  request_id: string;
  sent_at: number | null;
  settled_at: number | null;
  [key: string]: SqlStorageValue;
}

const toBatch = (row: BatchRow): StoredBatch => ({
  id: row.id,
  jobId: row.job_id,
  lane: row.lane,
  operation: row.operation,
  state: row.state,
  size: row.size,
  attempts: row.attempts,
  lastError: row.last_error,
  actor: row.actor,
  requestId: row.request_id,
  sentAt: row.sent_at,
});

export function ensureProvisioningTables(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS provisioning_batches (
    id TEXT PRIMARY KEY, job_id TEXT NOT NULL, lane TEXT NOT NULL, operation TEXT NOT NULL, state TEXT NOT NULL,
    size INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, actor TEXT NOT NULL, request_id TEXT NOT NULL,
    created_at INTEGER NOT NULL, sent_at INTEGER, settled_at INTEGER)`);
  sql.exec("CREATE INDEX IF NOT EXISTS provisioning_batches_job ON provisioning_batches (job_id)");
  sql.exec("CREATE INDEX IF NOT EXISTS provisioning_batches_state ON provisioning_batches (state, lane)");
  sql.exec("CREATE TABLE IF NOT EXISTS provisioning_items (lane TEXT NOT NULL, item TEXT NOT NULL, batch_id TEXT NOT NULL, PRIMARY KEY (lane, item))");
  sql.exec("CREATE INDEX IF NOT EXISTS provisioning_items_batch ON provisioning_items (batch_id)");
}

/** Stores new batches and their items (one statement per batch), and drops long-settled ones of finished jobs. */
export function stageBatches(storage: DurableObjectStorage, jobId: string, batches: readonly PlannedBatch[], origin: { actor: string; requestId: string }, now: number): void {
  storage.transactionSync(() => {
    const sql = storage.sql;
    sql.exec(
      `DELETE FROM provisioning_batches WHERE settled_at < ? AND job_id NOT IN (SELECT job_id FROM provisioning_batches WHERE settled_at IS NULL)`,
      now - RETENTION_MS,
    );
    for (const batch of batches) {
      sql.exec(
        "INSERT INTO provisioning_batches (id, job_id, lane, operation, state, size, actor, request_id, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
        batch.id,
        jobId,
        batch.lane,
        batch.operation,
        batch.items.length,
        origin.actor,
        origin.requestId,
        now,
      );
      // A primary-key conflict here would mean two pending operations on one member: a bug, and it aborts.
      sql.exec("INSERT INTO provisioning_items (lane, item, batch_id) SELECT ?, value, ? FROM json_each(?)", batch.lane, batch.id, JSON.stringify(batch.items));
    }
  });
}

export function findBatch(sql: SqlStorage, batchId: string): StoredBatch | undefined {
  const row = sql.exec<BatchRow>("SELECT * FROM provisioning_batches WHERE id = ?", batchId).toArray()[0];
  return row ? toBatch(row) : undefined;
}

export function itemsOf(sql: SqlStorage, batchId: string): string[] {
  return sql.exec<{ item: string }>("SELECT item FROM provisioning_items WHERE batch_id = ? ORDER BY rowid", batchId).toArray().map((row) => row.item);
}

function hasPendingItems(sql: SqlStorage, lane: string): boolean {
  return sql.exec("SELECT 1 FROM provisioning_items WHERE lane = ? LIMIT 1", lane).toArray().length > 0;
}

/** The pending operation on each of `items` (all of the lane's when `items` is absent). */
export function pendingItems(sql: SqlStorage, lane: string, items?: readonly string[]): Map<string, PendingItem> {
  const found = new Map<string, PendingItem>();
  if (!hasPendingItems(sql, lane)) return found;
  const cursor =
    items === undefined
      ? sql.exec<{ item: string; batch_id: string; job_id: string; operation: BatchOperation }>(
          "SELECT i.item, i.batch_id, b.job_id, b.operation FROM provisioning_items i JOIN provisioning_batches b ON b.id = i.batch_id WHERE i.lane = ?",
          lane,
        )
      : sql.exec<{ item: string; batch_id: string; job_id: string; operation: BatchOperation }>(
          "SELECT i.item, i.batch_id, b.job_id, b.operation FROM provisioning_items i JOIN provisioning_batches b ON b.id = i.batch_id WHERE i.lane = ? AND i.item IN (SELECT value FROM json_each(?))",
          lane,
          JSON.stringify(items),
        );
  for (const row of cursor) found.set(row.item, { batchId: row.batch_id, jobId: row.job_id, operation: row.operation });
  return found;
}

/** Unsettled batches of one lane, or of every lane. */
export function unsettledBatches(sql: SqlStorage, lane?: string): StoredBatch[] {
  const rows =
    lane === undefined
      ? sql.exec<BatchRow>("SELECT * FROM provisioning_batches WHERE settled_at IS NULL").toArray()
      : sql.exec<BatchRow>("SELECT * FROM provisioning_batches WHERE settled_at IS NULL AND lane = ?", lane).toArray();
  return rows.map(toBatch);
}

/** Every batch of a job, as the progress summary needs them. */
export function batchStatuses(sql: SqlStorage, jobId: string): BatchStatus[] {
  return sql
    .exec<{ id: string; state: BatchState; size: number; last_error: string | null; settled_at: number | null }>(
      "SELECT id, state, size, last_error, settled_at FROM provisioning_batches WHERE job_id = ? ORDER BY id",
      jobId,
    )
    .toArray()
    .map((row) => ({ id: row.id, state: row.state, size: row.size, error: row.state === "failed" ? row.last_error : null, settledAt: row.settled_at }));
}

/** Takes items back from their pending batches; a batch left empty is cancelled (settled with nothing to do). */
export function withdrawItems(storage: DurableObjectStorage, lane: string, items: readonly string[], now: number): void {
  if (items.length === 0) return;
  storage.transactionSync(() => {
    const sql = storage.sql;
    const list = JSON.stringify(items);
    sql.exec(
      `UPDATE provisioning_batches SET size = size - (SELECT COUNT(*) FROM provisioning_items i WHERE i.batch_id = provisioning_batches.id AND i.item IN (SELECT value FROM json_each(?1)))
       WHERE id IN (SELECT batch_id FROM provisioning_items WHERE lane = ?2 AND item IN (SELECT value FROM json_each(?1)))`,
      list,
      lane,
    );
    sql.exec("DELETE FROM provisioning_items WHERE lane = ? AND item IN (SELECT value FROM json_each(?))", lane, list);
    sql.exec("UPDATE provisioning_batches SET state = 'cancelled', settled_at = ? WHERE settled_at IS NULL AND size = 0", now);
  });
}

/** Cancels every unsettled batch of a lane (or of every lane): a deleted group, a removed integration. */
export function cancelBatches(storage: DurableObjectStorage, lane: string | undefined, now: number): void {
  storage.transactionSync(() => {
    const sql = storage.sql;
    if (lane === undefined) {
      sql.exec("DELETE FROM provisioning_items");
      sql.exec("UPDATE provisioning_batches SET state = 'cancelled', size = 0, settled_at = ? WHERE settled_at IS NULL", now);
    } else {
      sql.exec("DELETE FROM provisioning_items WHERE lane = ?", lane);
      sql.exec("UPDATE provisioning_batches SET state = 'cancelled', size = 0, settled_at = ? WHERE settled_at IS NULL AND lane = ?", now, lane);
    }
  });
}

/** Marks a batch as being written to D1 right now; one found in this state after a restart is re-applied first. */
export function markApplying(sql: SqlStorage, batchId: string): void {
  sql.exec("UPDATE provisioning_batches SET state = 'applying' WHERE id = ?", batchId);
}

export function markPending(sql: SqlStorage, batchId: string): void {
  sql.exec("UPDATE provisioning_batches SET state = 'pending' WHERE id = ? AND settled_at IS NULL", batchId);
}

/** Settles a batch (applied or failed): its items are no longer pending. */
export function settleBatch(storage: DurableObjectStorage, batchId: string, state: "applied" | "failed", now: number, error: string | null = null): void {
  storage.transactionSync(() => {
    storage.sql.exec("DELETE FROM provisioning_items WHERE batch_id = ?", batchId);
    storage.sql.exec("UPDATE provisioning_batches SET state = ?, settled_at = ?, last_error = COALESCE(?, last_error) WHERE id = ?", state, now, error, batchId);
  });
}

/** One failed attempt at a batch: counted, with its reason, for the failure the dead-letter queue will report. */
export function recordAttemptFailure(sql: SqlStorage, batchId: string, error: string): void {
  sql.exec("UPDATE provisioning_batches SET attempts = attempts + 1, last_error = ?, state = CASE state WHEN 'applying' THEN 'pending' ELSE state END WHERE id = ?", error, batchId);
}

export function markSent(sql: SqlStorage, batchIds: readonly string[], now: number): void {
  sql.exec("UPDATE provisioning_batches SET sent_at = ? WHERE id IN (SELECT value FROM json_each(?))", now, JSON.stringify(batchIds));
}

export function interruptedBatches(sql: SqlStorage): string[] {
  return sql.exec<{ id: string }>("SELECT id FROM provisioning_batches WHERE state = 'applying'").toArray().map((row) => row.id);
}

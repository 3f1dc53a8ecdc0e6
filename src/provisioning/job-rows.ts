/**
 * The D1 rows of provisioning jobs: written only by the tenant's Durable Object, always inside the D1 batch of the
 * change they describe (so a job's numbers never run ahead of, or behind, the directory), and read by the
 * operator API, the CLI and the console.
 */
import { and, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { groups, provisioningJobs } from "../db/schema";
import type { WriteContext } from "../scim/write-context";
import type { JobKind, JobProgress } from "./batches";

/** Longest failure reason kept on a job (the first failed batch's; the rest are in the audit log). */
const MAX_ERROR_LENGTH = 500;

export function insertJobStatement(context: WriteContext, job: { id: string; kind: JobKind; groupId: string | null; progress: JobProgress }) {
  return context.db.insert(provisioningJobs).values({
    id: job.id,
    tenantId: context.tenantId,
    kind: job.kind,
    groupId: job.groupId,
    state: job.progress.state,
    total: job.progress.total,
    batches: job.progress.batches,
    requestId: context.requestId,
    createdAt: context.now,
    updatedAt: context.now,
  });
}

/** Absolute numbers (src/provisioning/batches.ts, summariseJob): the same step written twice changes nothing. */
export function jobProgressStatement(context: WriteContext, jobId: string, progress: JobProgress) {
  const finished = progress.state === "done" || progress.state === "failed";
  return context.db
    .update(provisioningJobs)
    .set({
      state: progress.state,
      total: progress.total,
      applied: progress.applied,
      failed: progress.failed,
      batchesDone: progress.batchesDone,
      error: progress.error === null ? null : progress.error.slice(0, MAX_ERROR_LENGTH),
      updatedAt: context.now,
      finishedAt: finished ? sql`COALESCE(${provisioningJobs.finishedAt}, ${context.now})` : null,
    })
    .where(and(eq(provisioningJobs.tenantId, context.tenantId), eq(provisioningJobs.id, jobId)));
}

/** A job as the operator API, the CLI and the console show it: its progress, and what and when. */
export interface JobView extends JobProgress {
  id: string;
  kind: string;
  groupId: string | null;
  /** The group's current name (null for tenant-wide jobs, or once the group is gone). */
  groupName: string | null;
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const iso = (at: number) => new Date(at).toISOString();

function selectJobs(db: Database, tenantId: string) {
  return db
    .select({ job: provisioningJobs, groupName: groups.displayName })
    .from(provisioningJobs)
    .leftJoin(groups, and(eq(groups.tenantId, provisioningJobs.tenantId), eq(groups.id, provisioningJobs.groupId)))
    .where(eq(provisioningJobs.tenantId, tenantId))
    .$dynamic();
}

function toView({ job, groupName }: { job: typeof provisioningJobs.$inferSelect; groupName: string | null }): JobView {
  return {
    id: job.id,
    kind: job.kind,
    groupId: job.groupId,
    groupName,
    state: job.state,
    total: job.total,
    applied: job.applied,
    failed: job.failed,
    batches: job.batches,
    batchesDone: job.batchesDone,
    error: job.error,
    requestId: job.requestId,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
  };
}

/** The tenant's jobs, newest first. */
export async function listJobs(db: Database, tenantId: string, limit: number): Promise<JobView[]> {
  const rows = await selectJobs(db, tenantId).orderBy(desc(provisioningJobs.createdAt), desc(provisioningJobs.id)).limit(limit);
  return rows.map(toView);
}

/** Recently finished jobs shown on the console's overview: the last few, from the last week. */
const RECENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const RECENT_COUNT = 5;

export interface JobsOverview {
  active: JobView[];
  recent: JobView[];
}

export async function loadJobsOverview(db: Database, tenantId: string, now: number): Promise<JobsOverview> {
  const rows = await selectJobs(db, tenantId)
    .where(
      and(
        eq(provisioningJobs.tenantId, tenantId),
        or(inArray(provisioningJobs.state, ["queued", "running"]), gt(provisioningJobs.finishedAt, now - RECENT_WINDOW_MS)),
      ),
    )
    .orderBy(desc(provisioningJobs.createdAt), desc(provisioningJobs.id))
    .limit(50);
  const views = rows.map(toView);
  return {
    active: views.filter((job) => job.state === "queued" || job.state === "running"),
    recent: views.filter((job) => job.state === "done" || job.state === "failed").slice(0, RECENT_COUNT),
  };
}

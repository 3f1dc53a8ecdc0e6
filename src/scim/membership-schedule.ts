/**
 * The seam between group writes and the tenant's provisioning jobs (src/tenant-do/provisioning-jobs.ts). A group
 * write resolves its request against the membership the group will have once its unfinished jobs are applied
 * (applied members, plus pending additions, minus pending removals), then hands the resulting change to the
 * scheduler, which says what to write at once and what becomes batches.
 */
import type { BatchItem } from "../db/batch";
import type { MembershipChange } from "./group-membership";
import type { WriteContext } from "./write-context";

/** Members with an operation still pending in the group's unfinished jobs. */
export interface PendingMembership {
  adds: ReadonlySet<string>;
  removes: ReadonlySet<string>;
}

export const NO_PENDING: PendingMembership = { adds: new Set(), removes: new Set() };

export interface ScheduledMembership {
  /** The part written in the request's own D1 batch. */
  now: MembershipChange;
  /** More statements for that batch: a new job's row, the new totals of jobs this request took items from. */
  statements: BatchItem[];
  /** The new job, when the change was too large to write at once. */
  jobId: string | null;
  /** Runs once that batch committed: batches stored and sent, withdrawn items taken out of their batches. */
  committed(): Promise<void>;
}

export interface MembershipScheduler {
  /** Pending operations of a group, among `ids` (all of them when absent). */
  pending(groupId: string, ids?: readonly string[]): PendingMembership;
  /** Splits a change (relative to the membership the pending jobs will leave) into now, queued and withdrawn. */
  schedule(context: WriteContext, groupId: string, change: MembershipChange): ScheduledMembership;
  /** The group is being deleted: its unfinished jobs have nothing left to do. */
  cancelGroup(context: WriteContext, groupId: string): ScheduledMembership;
}

/** The members a group will have once its pending operations are applied. */
export function intendedMembers(applied: ReadonlySet<string>, pending: PendingMembership): Set<string> {
  const members = new Set(applied);
  for (const id of pending.adds) members.add(id);
  for (const id of pending.removes) members.delete(id);
  return members;
}

/**
 * The activity page's data: SCIM requests (the tenant Durable Object's request log) and sign-in attempts (D1),
 * newest first. One kind pages in its own store; both kinds together are merged by time, which needs the first
 * `page × 50` of each, so the merged list stops at `MERGED_MAX_PAGE` (the request log's own depth).
 */
import type { Database } from "../db/client";
import type { Env } from "../env";
import type { ScimRequestRow } from "../tenant-do/request-log";
import { SCIM_REQUEST_LOG_ROWS } from "../tenant-do/request-log";
import { tenantWriter } from "../tenant-do/stub";
import { PAGE_SIZE } from "./list-params";
import { searchSignIns, type SignInView } from "./sign-ins";

export const ACTIVITY_KINDS = ["all", "scim", "sign-in"] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_OUTCOMES = ["any", "ok", "error"] as const;
export type ActivityOutcome = (typeof ACTIVITY_OUTCOMES)[number];

export const MERGED_MAX_PAGE = SCIM_REQUEST_LOG_ROWS / PAGE_SIZE;

export interface ActivityFilters {
  kind: ActivityKind;
  outcome: ActivityOutcome;
  text: string | undefined;
  page: number;
}

export type ActivityItem = { kind: "scim"; at: number; request: ScimRequestRow } | { kind: "sign-in"; at: number; attempt: SignInView };

export interface ActivityPage {
  items: ActivityItem[];
  total: number;
}

export async function loadActivity(env: Env, db: Database, tenantId: string, filters: ActivityFilters): Promise<ActivityPage> {
  const outcome = filters.outcome === "any" ? undefined : filters.outcome;
  const merged = filters.kind === "all";
  // Merged: the newest page × 50 of each source, then one slice of the merge. Alone: the page itself.
  const window = merged ? { offset: 0, limit: filters.page * PAGE_SIZE } : { offset: (filters.page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  const [requests, signIns] = await Promise.all([
    filters.kind === "sign-in" ? { total: 0, rows: [] } : tenantWriter(env, tenantId).listScimRequests(tenantId, { outcome, text: filters.text, ...window }),
    filters.kind === "scim" ? { total: 0, rows: [] } : searchSignIns(db, tenantId, { outcome, text: filters.text, ...window }),
  ]);
  const items: ActivityItem[] = [
    ...requests.rows.map((request) => ({ kind: "scim" as const, at: request.at, request })),
    ...signIns.rows.map((attempt) => ({ kind: "sign-in" as const, at: attempt.at, attempt })),
  ];
  if (!merged) return { items, total: requests.total + signIns.total };
  items.sort((a, b) => b.at - a.at);
  return { items: items.slice((filters.page - 1) * PAGE_SIZE, filters.page * PAGE_SIZE), total: requests.total + signIns.total };
}

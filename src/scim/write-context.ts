/**
 * What every SCIM write shares: who is writing, for which tenant, when, and the audit row that goes into the same
 * D1 batch (transaction) as the change itself — no change without its audit entry.
 */
import type { Database } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { auditLog } from "../db/schema";
import { newId } from "../lib/ids";
import type { JsonObject } from "../lib/json";
import { etagOf } from "./resources";
import { scimStatusError, scimTypeError, type ScimError } from "./errors";

export interface WriteContext {
  db: Database;
  /** The raw binding, for batches that mix drizzle statements with set-based SQL (src/db/batch.ts). */
  d1: D1Database;
  tenantId: string;
  /** `scim:tok_…` or `operator`. */
  actor: string;
  requestId: string;
  /** SCIM base URL of the tenant (for meta.location). */
  baseUrl: string;
  now: number;
}

export interface WriteOutcome {
  status: 200 | 201 | 204;
  resource?: JsonObject;
  /** ETag of the new version when no resource is returned (204). */
  etag?: string;
}

export function auditEntry(context: WriteContext, action: string, resourceType: string, resourceId: string | null, detail: JsonObject = {}) {
  return context.db.insert(auditLog).values({
    id: newId("aud"),
    tenantId: context.tenantId,
    at: context.now,
    actor: context.actor,
    action,
    resourceType,
    resourceId,
    detail: JSON.stringify(detail),
    requestId: context.requestId,
  });
}

/**
 * `If-Match` (RFC 7644 §3.14, RFC 7232 §3.1): `*` or a list of entity tags; weak comparison, since our tags are
 * weak versions. A mismatch is 412 and nothing is written.
 */
export function checkIfMatch(ifMatch: string | undefined, version: number): ScimError | undefined {
  if (ifMatch === undefined) return undefined;
  const wanted = ifMatch.trim();
  if (wanted === "*") return undefined;
  const current = etagOf(version).replace(/^W\//, "");
  const tags = wanted.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes(current)) return undefined;
  return scimStatusError(412, `The resource changed since you read it: its version is now ${etagOf(version)}.`);
}

/** D1's unique indexes are the backstop behind the Durable Object's checks; a hit there is still a 409. */
export function uniqueViolation(error: unknown, detail: string): ScimError | undefined {
  return isUniqueViolation(error) ? scimTypeError("uniqueness", detail) : undefined;
}

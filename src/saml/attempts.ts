/** The sign-in log: every attempt, with the precise reason of a failure, for the tenant admin and the operator. */
import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { signInAttempts } from "../db/schema";
import { newId } from "../lib/ids";
import type { OidcReason } from "../oidc/errors";
import type { SamlReason } from "./errors";

/** Every reason code a sign-in can fail with, over both protocols. */
export type SignInReason = SamlReason | OidcReason;

export interface AttemptRecord {
  /** "saml" when absent. */
  protocol?: "saml" | "oidc";
  result: "success" | "failure";
  reason: SignInReason | null;
  userId: string | null;
  nameId: string | null;
  detail: Record<string, unknown>;
  requestId: string;
}

export function attemptStatement(db: Database, tenantId: string, attempt: AttemptRecord, now: number) {
  return db.insert(signInAttempts).values({
    id: newId("aud"),
    tenantId,
    at: now,
    protocol: attempt.protocol ?? "saml",
    result: attempt.result,
    reason: attempt.reason,
    userId: attempt.userId,
    nameId: attempt.nameId,
    detail: JSON.stringify(attempt.detail),
    requestId: attempt.requestId,
  });
}

export interface AttemptView {
  at: string;
  result: "success" | "failure";
  reason: string | null;
  userId: string | null;
  nameId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
}

export async function listAttempts(db: Database, tenantId: string, options: { failuresOnly?: boolean; limit: number; before?: number; since?: number }): Promise<AttemptView[]> {
  const rows = await db
    .select()
    .from(signInAttempts)
    .where(and(eq(signInAttempts.tenantId, tenantId), options.failuresOnly ? eq(signInAttempts.result, "failure") : undefined, options.before ? lt(signInAttempts.at, options.before) : undefined, options.since ? gte(signInAttempts.at, options.since) : undefined))
    .orderBy(desc(signInAttempts.at))
    .limit(options.limit);
  return rows.map((row) => ({
    at: new Date(row.at).toISOString(),
    result: row.result,
    reason: row.reason,
    userId: row.userId,
    nameId: row.nameId,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    requestId: row.requestId,
  }));
}

/**
 * SCIM bearer tokens: 256 random bits, shown once, stored as SHA-256 only. A hash lookup cannot leak the token by
 * timing (the attacker would need a preimage), and the final comparison is constant-time anyway.
 *
 * Rotation: issuing a new token gives the previous ones a grace period (the admin picks it; 0 stops them now), so
 * the IdP can be switched over without a failed provisioning cycle.
 */
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Database } from "../db/client";
import { scimTokens } from "../db/schema";
import { sha256Hex, timingSafeEqual } from "../lib/bytes";
import { newId, newSecret } from "../lib/ids";

export const SCIM_TOKEN_PREFIX = "gh_scim_";
/** How often last-use is written: often enough for an admin's "last used", rare enough to cost no write per call. */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

export type TokenStatus = "active" | "expiring" | "expired" | "revoked";

export interface TokenSummary {
  id: string;
  hint: string;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

type TokenRow = typeof scimTokens.$inferSelect;

function statusOf(row: TokenRow, now: number): TokenStatus {
  if (row.revokedAt !== null) return "revoked";
  if (row.expiresAt !== null) return row.expiresAt <= now ? "expired" : "expiring";
  return "active";
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function summarizeToken(row: TokenRow, now: number): TokenSummary {
  return {
    id: row.id,
    hint: row.hint,
    status: statusOf(row, now),
    createdAt: new Date(row.createdAt).toISOString(),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export async function listTokens(db: Database, tenantId: string, now: number): Promise<TokenSummary[]> {
  const rows = await db.select().from(scimTokens).where(eq(scimTokens.tenantId, tenantId)).orderBy(desc(scimTokens.createdAt));
  return rows.map((row) => summarizeToken(row, now));
}

/** Statements that issue a token and start the grace period of the ones before it. Run inside the tenant's DO. */
export async function prepareTokenIssue(db: Database, tenantId: string, now: number, graceSeconds: number) {
  const token = newSecret(SCIM_TOKEN_PREFIX);
  const id = newId("tok");
  const previousExpireAt = now + graceSeconds * 1000;
  const hint = `${token.slice(0, SCIM_TOKEN_PREFIX.length + 4)}…`;
  const stillValid = and(eq(scimTokens.tenantId, tenantId), isNull(scimTokens.revokedAt), or(isNull(scimTokens.expiresAt), gt(scimTokens.expiresAt, previousExpireAt)));
  const statements = [
    db.update(scimTokens).set(graceSeconds === 0 ? { revokedAt: now } : { expiresAt: previousExpireAt }).where(stillValid),
    db.insert(scimTokens).values({ id, tenantId, tokenHash: await sha256Hex(token), hint, createdAt: now }),
  ] as const;
  return { token, id, hint, previousExpireAt, statements };
}

export function revokeTokenStatement(db: Database, tenantId: string, tokenId: string, now: number) {
  return db
    .update(scimTokens)
    .set({ revokedAt: now })
    .where(and(eq(scimTokens.tenantId, tenantId), eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt)))
    .returning({ id: scimTokens.id });
}

export type TokenCheck = { ok: true; tokenId: string; lastUsedAt: number | null } | { ok: false; reason: "unknown_token" | "revoked_token" | "expired_token" };

/** Checks a presented token against the tenant's stored hashes. */
export async function verifyScimToken(db: Database, tenantId: string, presented: string, now: number): Promise<TokenCheck> {
  const hash = await sha256Hex(presented);
  const [row] = await db.select().from(scimTokens).where(eq(scimTokens.tokenHash, hash)).limit(1);
  // The tenant check keeps one tenant's token from ever opening another tenant's directory.
  if (!row || row.tenantId !== tenantId || !timingSafeEqual(row.tokenHash, hash)) return { ok: false, reason: "unknown_token" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked_token" };
  if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, reason: "expired_token" };
  return { ok: true, tokenId: row.id, lastUsedAt: row.lastUsedAt };
}

/**
 * Records last use at most once a minute. A direct conditional UPDATE rather than a Durable Object call: it is
 * telemetry, commutative and idempotent (the newest time wins), and must not add a hop to every SCIM read.
 */
export function recordTokenUse(db: Database, tokenId: string, now: number) {
  return db
    .update(scimTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(scimTokens.id, tokenId), or(isNull(scimTokens.lastUsedAt), lt(scimTokens.lastUsedAt, now - LAST_USED_RESOLUTION_MS))));
}

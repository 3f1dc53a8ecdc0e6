/**
 * SCIM bearer tokens: 256 random bits, shown once, stored as SHA-256 only, compared in constant time.
 *
 * The tenant's Durable Object is the authority on them: it issues and revokes them and holds the current set in
 * memory (src/tenant-do/token-registry.ts), so a revocation takes effect at once for every request, with no window
 * in which a D1 read replica still sees the old row.
 *
 * Rotation: issuing a new token gives the previous ones a grace period (the admin picks it; 0 stops them now), so
 * the IdP can be switched over without a failed provisioning cycle.
 */
import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
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

export type TokenRow = typeof scimTokens.$inferSelect;

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

/** What the IdP admin reads in the 401 body: enough to fix the configuration, nothing about other tenants. */
export const TOKEN_REFUSALS = {
  unknown_token: "The SCIM token is not valid for this tenant.",
  revoked_token: "The SCIM token was revoked. Issue a new one in the Gatehouse console and paste it into your IdP.",
  expired_token: "The SCIM token was replaced and its grace period has ended. Paste the current token into your IdP.",
} as const;

export type TokenCheck = { ok: true; tokenId: string } | { ok: false; reason: "unknown_token" | "revoked_token" | "expired_token" };

/** The rows `checkToken` needs: this tenant's tokens that can still authenticate or explain a refusal. */
export async function loadTenantTokens(db: Database, tenantId: string): Promise<TokenRow[]> {
  return db.select().from(scimTokens).where(eq(scimTokens.tenantId, tenantId));
}

/**
 * Decides whether a presented token (as its SHA-256) opens this tenant. Pure. The rows are the tenant's own, so a
 * token of another tenant is simply unknown here.
 */
export function checkToken(rows: Iterable<TokenRow>, presentedHash: string, now: number): TokenCheck {
  let match: TokenRow | undefined;
  // Constant-time comparison against every row: which row matched, if any, is not visible in the timing.
  for (const row of rows) if (timingSafeEqual(row.tokenHash, presentedHash)) match = row;
  if (!match) return { ok: false, reason: "unknown_token" };
  if (match.revokedAt !== null) return { ok: false, reason: "revoked_token" };
  if (match.expiresAt !== null && match.expiresAt <= now) return { ok: false, reason: "expired_token" };
  return { ok: true, tokenId: match.id };
}

export function hashToken(presented: string): Promise<string> {
  return sha256Hex(presented);
}

/** Records last use (written at most once a minute per token by the tenant's Durable Object). */
export function recordTokenUse(db: Database, tokenId: string, now: number) {
  return db.update(scimTokens).set({ lastUsedAt: now }).where(eq(scimTokens.id, tokenId));
}

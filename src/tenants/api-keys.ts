/**
 * Host-app API keys for the directory read API (`/api/directory/*`): `gh_api_` + 256 random bits, shown once,
 * stored as SHA-256 only, compared in constant time.
 *
 * Like SCIM tokens (scim-tokens.ts), the tenant's Durable Object is the authority: it issues and revokes keys and
 * checks a presented key against the set it holds in memory (src/tenant-do/token-registry.ts), so a revoked key
 * is refused by the very next request, whichever isolate serves it.
 *
 * No rotation grace as with SCIM tokens: a tenant may hold several keys at once, so rotating is "issue a new
 * key, deploy it in the host app, revoke the old one".
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiKeys } from "../db/schema";
import { sha256Hex, timingSafeEqual } from "../lib/bytes";
import { newId, newSecret } from "../lib/ids";

export const API_KEY_PREFIX = "gh_api_";
/** The only shape `newSecret` gives a key (prefix + 43 base64url characters): anything else is refused unread. */
export const API_KEY_PATTERN = /^gh_api_[A-Za-z0-9_-]{43}$/;

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface ApiKeySummary {
  id: string;
  hint: string;
  status: "active" | "revoked";
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function summarizeApiKey(row: ApiKeyRow): ApiKeySummary {
  return {
    id: row.id,
    hint: row.hint,
    status: row.revokedAt === null ? "active" : "revoked",
    createdAt: new Date(row.createdAt).toISOString(),
    revokedAt: iso(row.revokedAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeySummary[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(summarizeApiKey);
}

/** What issuing answers: the key itself appears here and nowhere else, ever. */
export interface IssuedApiKey {
  key: string;
  id: string;
  hint: string;
  createdAt: string;
}

/** A new key and the statement that stores its hash. Run inside the tenant's DO. */
export async function prepareApiKeyIssue(db: Database, tenantId: string, now: number) {
  const key = newSecret(API_KEY_PREFIX);
  const id = newId("key");
  const hint = `${key.slice(0, API_KEY_PREFIX.length + 4)}…`;
  const statement = db.insert(apiKeys).values({ id, tenantId, keyHash: await sha256Hex(key), hint, createdAt: now });
  return { key, id, hint, statement };
}

export function revokeApiKeyStatement(db: Database, tenantId: string, keyId: string, now: number) {
  return db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
}

export type ApiKeyCheck = { ok: true; keyId: string } | { ok: false; reason: "unknown_api_key" | "revoked_api_key" };

/** Every key of the tenant, revoked ones too: a revoked key is answered as revoked, not as unknown. */
export async function loadTenantApiKeys(db: Database, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId));
}

/**
 * Decides whether a presented key (as its SHA-256) opens this tenant's directory. Pure. The rows are the tenant's
 * own, so a key of another tenant is simply unknown here.
 */
export function checkApiKey(rows: Iterable<ApiKeyRow>, presentedHash: string): ApiKeyCheck {
  let match: ApiKeyRow | undefined;
  // Constant-time comparison against every row: which row matched, if any, is not visible in the timing.
  for (const row of rows) if (timingSafeEqual(row.keyHash, presentedHash)) match = row;
  if (!match) return { ok: false, reason: "unknown_api_key" };
  if (match.revokedAt !== null) return { ok: false, reason: "revoked_api_key" };
  return { ok: true, keyId: match.id };
}

/** Records last use (written at most once a minute per key by the tenant's Durable Object). */
export function recordApiKeyUse(db: Database, keyId: string, now: number) {
  return db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, keyId));
}

/**
 * One-time admin sign-in links, kept in the tenant Durable Object's own SQLite storage: redeeming one is a
 * check-and-mark inside a single storage transaction, so a link can never be used twice, even by two requests
 * that arrive at the same moment (they are applied one at a time by the object, and the row is marked in the
 * same transaction that checks it). Only the SHA-256 of a link's secret is stored.
 */
export const ADMIN_LINK_TTL_MS = 15 * 60 * 1000;
/** Spent and expired rows are kept a day (for "this link was already used" answers), then dropped. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

export type RedeemOutcome = "ok" | "unknown" | "expired" | "used";

export function ensureAdminLinkTable(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS admin_links (secret_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER)");
}

export function storeAdminLink(sql: SqlStorage, secretHash: string, now: number): number {
  const expiresAt = now + ADMIN_LINK_TTL_MS;
  sql.exec("DELETE FROM admin_links WHERE expires_at < ?", now - RETENTION_MS);
  sql.exec("INSERT INTO admin_links (secret_hash, expires_at) VALUES (?, ?)", secretHash, expiresAt);
  return expiresAt;
}

export function consumeAdminLink(storage: DurableObjectStorage, secretHash: string, now: number): RedeemOutcome {
  return storage.transactionSync(() => {
    const rows = storage.sql.exec<{ expires_at: number; used_at: number | null }>("SELECT expires_at, used_at FROM admin_links WHERE secret_hash = ?", secretHash).toArray();
    const row = rows[0];
    if (!row) return "unknown";
    if (row.used_at !== null) return "used";
    if (row.expires_at <= now) return "expired";
    storage.sql.exec("UPDATE admin_links SET used_at = ? WHERE secret_hash = ?", now, secretHash);
    return "ok";
  });
}

/**
 * Single-use SAML state in the tenant Durable Object's own SQLite storage, each check-and-mark inside one storage
 * transaction (so two copies of one response posted at the same moment cannot both pass):
 *  - AuthnRequest IDs we issued (SP-initiated sign-in), for `InResponseTo` (SAML profiles §4.1.4.3), used once;
 *  - assertion IDs we accepted, remembered until the assertion could no longer be accepted (replay, §4.1.4.5).
 */
export const AUTHN_REQUEST_TTL_MS = 10 * 60 * 1000;

export type SingleUseOutcome = "ok" | "assertion_replayed" | "in_response_to_unknown" | "in_response_to_expired" | "in_response_to_reused";

export function ensureSamlTables(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS authn_requests (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used_at INTEGER)");
  sql.exec("CREATE TABLE IF NOT EXISTS seen_assertions (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
}

export function storeAuthnRequest(sql: SqlStorage, id: string, now: number): number {
  const expiresAt = now + AUTHN_REQUEST_TTL_MS;
  // Kept a while past expiry, to tell "expired" from "unknown" in the admin's log; then dropped.
  sql.exec("DELETE FROM authn_requests WHERE expires_at < ?", now - AUTHN_REQUEST_TTL_MS);
  sql.exec("INSERT INTO authn_requests (id, expires_at) VALUES (?, ?)", id, expiresAt);
  return expiresAt;
}

/** Marks the assertion seen and the request it answers used — both or neither. */
export function consumeSamlIds(storage: DurableObjectStorage, input: { assertionId: string; replayableUntil: number; inResponseTo: string | null }, now: number): SingleUseOutcome {
  return storage.transactionSync(() => {
    const sql = storage.sql;
    sql.exec("DELETE FROM seen_assertions WHERE expires_at < ?", now);
    if (sql.exec("SELECT 1 FROM seen_assertions WHERE id = ?", input.assertionId).toArray().length > 0) return "assertion_replayed";
    if (input.inResponseTo !== null) {
      const request = sql.exec<{ expires_at: number; used_at: number | null }>("SELECT expires_at, used_at FROM authn_requests WHERE id = ?", input.inResponseTo).toArray()[0];
      if (!request) return "in_response_to_unknown";
      if (request.used_at !== null) return "in_response_to_reused";
      if (request.expires_at <= now) return "in_response_to_expired";
      sql.exec("UPDATE authn_requests SET used_at = ? WHERE id = ?", now, input.inResponseTo);
    }
    sql.exec("INSERT INTO seen_assertions (id, expires_at) VALUES (?, ?)", input.assertionId, input.replayableUntil);
    return "ok";
  });
}

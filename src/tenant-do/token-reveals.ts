/**
 * "Shown once" for SCIM tokens issued in the console, without showing them in a POST response (a reload would
 * re-submit the form and issue another token): the object keeps the new token for at most five minutes, bound
 * to the admin session that asked for it, and hands it out exactly once — the redirect's GET takes it, a reload
 * finds nothing. Check-and-delete is one storage transaction, so two tabs cannot both read it.
 */
import { newSecret } from "../lib/ids";

export const TOKEN_REVEAL_TTL_MS = 5 * 60 * 1000;

export function ensureTokenRevealTable(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS token_reveals (id TEXT PRIMARY KEY, admin_session_id TEXT NOT NULL, token TEXT NOT NULL, expires_at INTEGER NOT NULL)");
}

export function storeTokenReveal(sql: SqlStorage, adminSessionId: string, token: string, now: number): string {
  const id = newSecret("");
  sql.exec("DELETE FROM token_reveals WHERE expires_at <= ?", now);
  sql.exec("INSERT INTO token_reveals (id, admin_session_id, token, expires_at) VALUES (?, ?, ?, ?)", id, adminSessionId, token, now + TOKEN_REVEAL_TTL_MS);
  return id;
}

/** The token, once, to the session it was issued for; null when unknown, expired, already shown or not theirs. */
export function takeTokenReveal(storage: DurableObjectStorage, adminSessionId: string, id: string, now: number): string | null {
  return storage.transactionSync(() => {
    const [row] = storage.sql.exec<{ token: string; admin_session_id: string; expires_at: number }>("SELECT token, admin_session_id, expires_at FROM token_reveals WHERE id = ?", id).toArray();
    if (!row || row.admin_session_id !== adminSessionId) return null;
    storage.sql.exec("DELETE FROM token_reveals WHERE id = ?", id);
    return row.expires_at > now ? row.token : null;
  });
}

export function dropTokenReveals(sql: SqlStorage): void {
  sql.exec("DELETE FROM token_reveals");
}

/**
 * Single-use OIDC sign-in state in the tenant Durable Object's SQLite storage: one row per sign-in started at
 * `/login`, holding the `nonce` and the PKCE `code_verifier` the callback needs. The `state` value is its key:
 * consuming it is a check-and-mark in one storage transaction, so a callback URL replayed (or raced) a second time
 * finds the row used (login CSRF and code replay, RFC 6749 §10.12, OIDC Core §3.1.2.1; PKCE RFC 7636 §1).
 */
export const OIDC_STATE_TTL_MS = 10 * 60 * 1000;

export interface OidcPendingSignIn {
  nonce: string;
  codeVerifier: string;
  returnTo: string | null;
}

export type OidcStateOutcome = { ok: true; pending: OidcPendingSignIn } | { ok: false; reason: "state_unknown" | "state_reused" | "state_expired" };

export function ensureOidcTables(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS oidc_states (state TEXT PRIMARY KEY, nonce TEXT NOT NULL, code_verifier TEXT NOT NULL, return_to TEXT, expires_at INTEGER NOT NULL, used_at INTEGER)");
}

export function storeOidcState(sql: SqlStorage, state: string, pending: OidcPendingSignIn, now: number): number {
  const expiresAt = now + OIDC_STATE_TTL_MS;
  // Kept a while past expiry, to tell "expired" and "reused" from "unknown" in the admin's log; then dropped.
  sql.exec("DELETE FROM oidc_states WHERE expires_at < ?", now - OIDC_STATE_TTL_MS);
  sql.exec("INSERT INTO oidc_states (state, nonce, code_verifier, return_to, expires_at) VALUES (?, ?, ?, ?, ?)", state, pending.nonce, pending.codeVerifier, pending.returnTo, expiresAt);
  return expiresAt;
}

export function consumeOidcState(storage: DurableObjectStorage, state: string, now: number): OidcStateOutcome {
  return storage.transactionSync(() => {
    const row = storage.sql
      .exec<{ nonce: string; code_verifier: string; return_to: string | null; expires_at: number; used_at: number | null }>("SELECT nonce, code_verifier, return_to, expires_at, used_at FROM oidc_states WHERE state = ?", state)
      .toArray()[0];
    if (!row) return { ok: false, reason: "state_unknown" } as const;
    if (row.used_at !== null) return { ok: false, reason: "state_reused" } as const;
    if (row.expires_at <= now) return { ok: false, reason: "state_expired" } as const;
    storage.sql.exec("UPDATE oidc_states SET used_at = ? WHERE state = ?", now, state);
    return { ok: true, pending: { nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to } } as const;
  });
}

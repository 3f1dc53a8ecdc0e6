/**
 * The SCIM request log, in the tenant Durable Object's own SQLite storage rather than D1: an IdP push of thousands
 * of requests then costs D1 nothing, and the console reads the log from the same object that keeps it. The newest
 * `SCIM_REQUEST_LOG_ROWS` rows are kept (each insert drops what fell off the end); the dialects seen are kept apart,
 * so a long run of lists cannot push the last PATCH's "Okta catalog app" out of the overview.
 */
import { containsPattern } from "../lib/text";
import type { ScimDialect } from "../scim/dialect";

export const SCIM_REQUEST_LOG_ROWS = 5000;

export interface ScimRequestEntry {
  /** When the request arrived (epoch ms). */
  at: number;
  method: string;
  /** Path and query, truncated by the recorder. */
  path: string;
  status: number;
  durationMs: number;
  /** `scimType: detail` of an error answer, truncated; null for a success. */
  errorDetail: string | null;
  tokenId: string | null;
  userAgent: string | null;
  dialect: ScimDialect;
}

/**
 * Listed newest first by arrival (`at`, then insertion): records are written after each answer, so two requests
 * close together may be recorded in the other order.
 */
export interface ScimRequestRow extends ScimRequestEntry {
  id: number;
}

export interface ScimRequestQuery {
  outcome: "ok" | "error" | undefined;
  /** Matched as a substring of method, path, status, error detail or user agent. */
  text: string | undefined;
  offset: number;
  limit: number;
}

export interface ScimRequestPage {
  total: number;
  rows: ScimRequestRow[];
}

export interface ScimRequestSummary {
  last: ScimRequestRow | null;
  /** The most recent definite dialect, and when it was seen. */
  dialect: { dialect: Exclude<ScimDialect, "unknown">; at: number } | null;
}

type StoredRow = {
  id: number;
  at: number;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  error_detail: string | null;
  token_id: string | null;
  user_agent: string | null;
  dialect: string;
};

const COLUMNS = "id, at, method, path, status, duration_ms, error_detail, token_id, user_agent, dialect";

/**
 * Idempotent; run before each use rather than only in the constructor, because `deleteTenant` drops every table
 * (storage.deleteAll) while the object lives on, and a request recorded just after must not fail on a missing table.
 */
export function ensureRequestLogTables(sql: SqlStorage): void {
  sql.exec(
    "CREATE TABLE IF NOT EXISTS scim_requests (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, duration_ms INTEGER NOT NULL, error_detail TEXT, token_id TEXT, user_agent TEXT, dialect TEXT NOT NULL)",
  );
  sql.exec("CREATE INDEX IF NOT EXISTS scim_requests_at ON scim_requests (at)");
  sql.exec("CREATE TABLE IF NOT EXISTS scim_dialects_seen (dialect TEXT PRIMARY KEY, at INTEGER NOT NULL)");
}

export function appendScimRequest(sql: SqlStorage, entry: ScimRequestEntry): void {
  ensureRequestLogTables(sql);
  const inserted = sql
    .exec<{ id: number }>(
      "INSERT INTO scim_requests (at, method, path, status, duration_ms, error_detail, token_id, user_agent, dialect) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      entry.at,
      entry.method,
      entry.path,
      entry.status,
      entry.durationMs,
      entry.errorDetail,
      entry.tokenId,
      entry.userAgent,
      entry.dialect,
    )
    .one();
  // Ids only grow (only the oldest rows are ever deleted), so this is a primary-key range: one row in steady state.
  sql.exec("DELETE FROM scim_requests WHERE id <= ?", inserted.id - SCIM_REQUEST_LOG_ROWS);
  if (entry.dialect !== "unknown") {
    sql.exec("INSERT INTO scim_dialects_seen (dialect, at) VALUES (?, ?) ON CONFLICT (dialect) DO UPDATE SET at = MAX(at, excluded.at)", entry.dialect, entry.at);
  }
}

function rowOf(row: StoredRow): ScimRequestRow {
  return {
    id: row.id,
    at: row.at,
    method: row.method,
    path: row.path,
    status: row.status,
    durationMs: row.duration_ms,
    errorDetail: row.error_detail,
    tokenId: row.token_id,
    userAgent: row.user_agent,
    dialect: row.dialect as ScimDialect,
  };
}

export function listScimRequests(sql: SqlStorage, query: ScimRequestQuery): ScimRequestPage {
  ensureRequestLogTables(sql);
  const conditions: string[] = [];
  const bindings: (string | number)[] = [];
  if (query.outcome === "ok") conditions.push("status < 400");
  if (query.outcome === "error") conditions.push("status >= 400");
  if (query.text) {
    conditions.push("(method || ' ' || path || ' ' || status || ' ' || COALESCE(error_detail, '') || ' ' || COALESCE(user_agent, '')) LIKE ? ESCAPE '\\'");
    bindings.push(containsPattern(query.text));
  }
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const total = sql.exec<{ total: number }>(`SELECT COUNT(*) AS total FROM scim_requests ${where}`, ...bindings).one().total;
  const rows = sql.exec<StoredRow>(`SELECT ${COLUMNS} FROM scim_requests ${where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, ...bindings, query.limit, query.offset).toArray();
  return { total, rows: rows.map(rowOf) };
}

export function summariseScimRequests(sql: SqlStorage): ScimRequestSummary {
  ensureRequestLogTables(sql);
  const last = sql.exec<StoredRow>(`SELECT ${COLUMNS} FROM scim_requests ORDER BY at DESC, id DESC LIMIT 1`).toArray()[0];
  const dialect = sql.exec<{ dialect: string; at: number }>("SELECT dialect, at FROM scim_dialects_seen ORDER BY at DESC LIMIT 1").toArray()[0];
  return {
    last: last ? rowOf(last) : null,
    dialect: dialect ? { dialect: dialect.dialect as Exclude<ScimDialect, "unknown">, at: dialect.at } : null,
  };
}

/**
 * "Remove integration" (issue 4 §4): what it will do, counted first, then the statements that do it. The
 * tenant's Durable Object runs them inside its write lane (src/tenant-do/integration-removal.ts), so no SCIM write
 * of this tenant lands half-way through: the disconnect (tokens, IdP settings, sessions) is one D1 batch with the
 * audit row; the directory is deleted in that same batch when it is small, else by a provisioning job.
 */
import { and, asc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { adminSessions, groups, idpConnections, scimTokens, users } from "../db/schema";
import { BATCH_SIZE } from "../provisioning/batches";
import { SESSION_TTL_SECONDS } from "../sessions/tokens";
import { OPERATOR_LINK_SUBJECT } from "./sessions";

export interface RemovalPreview {
  users: number;
  groups: number;
  /** Sessions started by sign-in within a session lifetime, not signed out, of users still active. */
  activeSessions: number;
  tokens: number;
  connected: boolean;
}

export async function previewRemoval(db: Database, tenantId: string, now: number): Promise<RemovalPreview> {
  const since = now - SESSION_TTL_SECONDS * 1000;
  const [row] = await db.all<{ users: number; groups: number; sessions: number; signedOut: number; tokens: number; connected: number }>(sql`
    SELECT
      (SELECT COUNT(*) FROM users WHERE tenant_id = ${tenantId}) AS users,
      (SELECT COUNT(*) FROM groups WHERE tenant_id = ${tenantId}) AS groups,
      (SELECT COUNT(*) FROM sign_in_attempts a JOIN users u ON u.id = a.user_id
         WHERE a.tenant_id = ${tenantId} AND a.result = 'success' AND a.at > ${since} AND u.active = 1) AS sessions,
      (SELECT COUNT(*) FROM revoked_sessions WHERE tenant_id = ${tenantId} AND expires_at > ${now}) AS signedOut,
      (SELECT COUNT(*) FROM scim_tokens WHERE tenant_id = ${tenantId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})) AS tokens,
      EXISTS (SELECT 1 FROM idp_connections WHERE tenant_id = ${tenantId}) AS connected`);
  return {
    users: row?.users ?? 0,
    groups: row?.groups ?? 0,
    activeSessions: Math.max(0, (row?.sessions ?? 0) - (row?.signedOut ?? 0)),
    tokens: row?.tokens ?? 0,
    connected: Boolean(row?.connected),
  };
}

export interface RemovalOutcome extends RemovalPreview {
  /** The provisioning job deleting the directory, or null when it was deleted at once. */
  jobId: string | null;
}

/**
 * Up to this many users and groups in all, the directory is deleted in the removal's own D1 batch and the page
 * says "removed"; above it, by a provisioning job in batches, and the page says "removal started" (issue 5 §1).
 */
export const SYNC_REMOVAL_LIMIT = BATCH_SIZE;

/** Revokes every SCIM token, removes the IdP settings and ends the console sessions of SSO admins. */
export function disconnectStatements(db: Database, tenantId: string, now: number) {
  return [
    db.update(scimTokens).set({ revokedAt: now }).where(and(eq(scimTokens.tenantId, tenantId), isNull(scimTokens.revokedAt))),
    db.delete(idpConnections).where(eq(idpConnections.tenantId, tenantId)),
    db.update(adminSessions).set({ revokedAt: now }).where(and(eq(adminSessions.tenantId, tenantId), ne(adminSessions.subject, OPERATOR_LINK_SUBJECT), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, now))),
  ] as const;
}

/**
 * Deleting a user ends their sessions for everything Gatehouse serves (a session is only good while its user
 * exists, src/sessions/store.ts). When a job deletes the users over the next seconds, this ends every session at
 * once instead, in the removal's own batch: sessions carry the version they were issued under.
 */
export function endSessionsStatement(db: Database, tenantId: string) {
  return db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.tenantId, tenantId));
}

/** The ids of the directory as it is now: the removal deletes these, and no user or group created after it. */
export async function directoryIds(db: Database, tenantId: string): Promise<{ users: string[]; groups: string[] }> {
  const [userRows, groupRows] = await db.batch([
    db.select({ id: users.id }).from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.createdAt), asc(users.id)),
    db.select({ id: groups.id }).from(groups).where(eq(groups.tenantId, tenantId)).orderBy(asc(groups.createdAt), asc(groups.id)),
  ]);
  return { users: userRows.map((row) => row.id), groups: groupRows.map((row) => row.id) };
}

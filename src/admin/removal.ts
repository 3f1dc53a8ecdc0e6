/**
 * "Remove integration" (issue 4 §4): what it will do, counted first, then the statements that do it. The
 * tenant's Durable Object runs the statements in one D1 batch (all or nothing) inside its write lane, so no SCIM
 * write of this tenant lands half-way through, and the audit row is part of the same batch.
 */
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { adminSessions, groups, idpConnections, scimTokens, users } from "../db/schema";
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

/**
 * Revokes every SCIM token, removes the IdP settings, ends the console sessions of SSO admins and deletes the
 * directory. Deleting the users ends their sessions for everything Gatehouse serves: a session is only good while
 * its user exists (src/sessions/store.ts). Memberships go with their groups and users (foreign-key cascades).
 */
export function removalStatements(db: Database, tenantId: string, now: number) {
  return [
    db.update(scimTokens).set({ revokedAt: now }).where(and(eq(scimTokens.tenantId, tenantId), isNull(scimTokens.revokedAt))),
    db.delete(idpConnections).where(eq(idpConnections.tenantId, tenantId)),
    db.update(adminSessions).set({ revokedAt: now }).where(and(eq(adminSessions.tenantId, tenantId), ne(adminSessions.subject, OPERATOR_LINK_SUBJECT), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, now))),
    db.delete(groups).where(eq(groups.tenantId, tenantId)),
    db.delete(users).where(eq(users.tenantId, tenantId)),
  ] as const;
}

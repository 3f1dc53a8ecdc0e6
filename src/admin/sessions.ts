/**
 * Admin console sessions: an opaque random secret in an HttpOnly cookie; D1 holds its SHA-256, the subject, a CSRF
 * token and the expiry. Opaque rather than signed so that ending a session (sign-out, integration removed,
 * tenant deleted) takes effect at the next request.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import { adminSessions } from "../db/schema";
import { sha256Hex } from "../lib/bytes";
import { newId, newSecret } from "../lib/ids";

export const ADMIN_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** The subject of a session opened with an operator's one-time link; SSO admins' sessions carry their user id. */
export const OPERATOR_LINK_SUBJECT = "operator-link";

/**
 * `__Host-` binds the cookie to exactly this host, https and path "/" (RFC 6265bis §4.1.3.2): no sibling tenant
 * subdomain can set or shadow it. Browsers only accept that prefix with Secure, so plain-http local runs use the
 * bare name (still host-only: no Domain attribute is ever set).
 */
export function adminCookieName(secure: boolean): string {
  return secure ? "__Host-gh_admin" : "gh_admin";
}

export interface AdminSession {
  id: string;
  tenantId: string;
  subject: string;
  csrfToken: string;
  expiresAt: number;
}

/** Statements and secrets for a new session; the tenant's Durable Object writes them. */
export async function prepareAdminSession(db: Database, tenantId: string, subject: string, now: number) {
  const secret = newSecret("gh_adm_");
  const row = {
    id: newId("ses"),
    tenantId,
    tokenHash: await sha256Hex(secret),
    subject,
    csrfToken: newSecret(""),
    createdAt: now,
    expiresAt: now + ADMIN_SESSION_TTL_MS,
  };
  return { secret, row, statement: db.insert(adminSessions).values(row) };
}

export async function findAdminSession(db: Database, tenantId: string, secret: string, now: number): Promise<AdminSession | undefined> {
  const [row] = await db
    .select()
    .from(adminSessions)
    .where(and(eq(adminSessions.tokenHash, await sha256Hex(secret)), eq(adminSessions.tenantId, tenantId), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, now)))
    .limit(1);
  return row ? { id: row.id, tenantId: row.tenantId, subject: row.subject, csrfToken: row.csrfToken, expiresAt: row.expiresAt } : undefined;
}

export function revokeAdminSessionStatement(db: Database, tenantId: string, sessionId: string, now: number) {
  return db.update(adminSessions).set({ revokedAt: now }).where(and(eq(adminSessions.tenantId, tenantId), eq(adminSessions.id, sessionId)));
}

/**
 * Whether a verified session token is still good: its user exists and is active, its session version is current
 * (deactivation bumps it) and it was not signed out. One D1 read, on the primary, so a deactivation or a sign-out
 * is seen by the very next request.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { VerifiedSession } from "./tokens";

export type SessionState = "valid" | "user_gone" | "user_deactivated" | "superseded" | "signed_out";

export async function sessionState(db: Database, tenantId: string, session: VerifiedSession): Promise<SessionState> {
  const [row] = await db.all<{ active: number; sessionVersion: number; revoked: number }>(sql`
    SELECT u.active AS active, u.session_version AS sessionVersion,
           EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.jti = ${session.jti} AND r.tenant_id = ${tenantId}) AS revoked
    FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${session.sub}`);
  if (!row) return "user_gone";
  if (!row.active) return "user_deactivated";
  if (row.sessionVersion !== session.sv) return "superseded";
  if (row.revoked) return "signed_out";
  return "valid";
}

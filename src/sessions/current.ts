/** The user session a request presents, verified and checked against D1 (shared by /api/session and the console). */
import type { Context } from "hono";
import { openDatabase } from "../db/client";
import type { TenantEnv } from "../env";
import { isSecureOrigin } from "../http/host";
import { presentedSession } from "./cookie";
import { loadSigningKeys } from "./keys";
import { sessionState, type SessionState } from "./store";
import { verifySessionToken, type VerifiedSession } from "./tokens";

export async function currentSession(c: Context<TenantEnv>): Promise<{ session: VerifiedSession; state: SessionState } | undefined> {
  const token = presentedSession(c, isSecureOrigin(c));
  if (!token) return undefined;
  const session = await verifySessionToken(token, await loadSigningKeys(c.env), c.var.origin, Date.now());
  // A token for another tenant is no session here (tenant isolation: the claims name the tenant id).
  if (!session || session.tid !== c.var.tenant.id) return undefined;
  return { session, state: await sessionState(openDatabase(c.env.DB), c.var.tenant.id, session) };
}

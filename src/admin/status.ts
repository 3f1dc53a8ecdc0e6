/** What the console's status page shows, gathered from D1 in one place. */
import { count, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { groups, users } from "../db/schema";
import type { SamlConnectionSettings } from "../saml/connection";
import { loadSamlSettings } from "../saml/settings-store";
import { listTokens, type TokenSummary } from "../tenants/scim-tokens";

/** Certificates expiring within this many days get a warning (issue: "a warning from 30 days out"). */
export const CERTIFICATE_WARNING_DAYS = 30;

export interface TenantStatus {
  saml: SamlConnectionSettings | undefined;
  tokens: TokenSummary[];
  users: { active: number; deactivated: number };
  groups: number;
}

export async function loadTenantStatus(db: Database, tenantId: string, now: number): Promise<TenantStatus> {
  const [saml, tokens, userCounts, groupCount] = await Promise.all([
    loadSamlSettings(db, tenantId),
    listTokens(db, tenantId, now),
    db
      .select({ active: sql<number>`COALESCE(SUM(${users.active}), 0)`, total: count() })
      .from(users)
      .where(eq(users.tenantId, tenantId)),
    db.select({ value: count() }).from(groups).where(eq(groups.tenantId, tenantId)),
  ]);
  const active = Number(userCounts[0]?.active ?? 0);
  const total = userCounts[0]?.total ?? 0;
  return { saml, tokens, users: { active, deactivated: total - active }, groups: groupCount[0]?.value ?? 0 };
}

export type CertificateHealth = "ok" | "expiring" | "expired";

export function certificateHealth(notAfter: string, now: number): CertificateHealth {
  const remaining = Date.parse(notAfter) - now;
  if (remaining <= 0) return "expired";
  return remaining <= CERTIFICATE_WARNING_DAYS * 24 * 3600 * 1000 ? "expiring" : "ok";
}

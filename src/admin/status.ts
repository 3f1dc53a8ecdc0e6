/** What the console's overview shows, gathered in one place: D1 for the directory, the tenant's Durable Object for SCIM traffic. */
import { count, eq, sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { groups, users } from "../db/schema";
import type { Env } from "../env";
import { loadJobsOverview, type JobsOverview } from "../provisioning/job-rows";
import type { SamlConnectionSettings } from "../saml/connection";
import { loadSamlSettings } from "../saml/settings-store";
import type { OidcConnectionSettings } from "../oidc/connection";
import { loadOidcSettings } from "../oidc/settings-store";
import type { ScimRequestSummary } from "../tenant-do/request-log";
import { tenantWriter } from "../tenant-do/stub";
import { listTokens, type TokenSummary } from "../tenants/scim-tokens";

/** Certificates expiring within this many days get a warning (issue: "a warning from 30 days out"). */
export const CERTIFICATE_WARNING_DAYS = 30;

export interface TenantStatus {
  saml: SamlConnectionSettings | undefined;
  oidc: OidcConnectionSettings | undefined;
  tokens: TokenSummary[];
  users: { active: number; deactivated: number };
  groups: number;
  /** The last SCIM request and the dialect seen. */
  scim: ScimRequestSummary;
  /** Provisioning jobs in progress, and the last few finished. */
  jobs: JobsOverview;
}

export async function loadTenantStatus(env: Env, tenantId: string, now: number): Promise<TenantStatus> {
  const db = openDatabase(env.DB);
  const [saml, oidc, tokens, userCounts, groupCount, scim, jobs] = await Promise.all([
    loadSamlSettings(db, tenantId),
    loadOidcSettings(env, tenantId),
    listTokens(db, tenantId, now),
    db
      .select({ active: sql<number>`COALESCE(SUM(${users.active}), 0)`, total: count() })
      .from(users)
      .where(eq(users.tenantId, tenantId)),
    db.select({ value: count() }).from(groups).where(eq(groups.tenantId, tenantId)),
    tenantWriter(env, tenantId).summariseScimRequests(tenantId),
    loadJobsOverview(db, tenantId, now),
  ]);
  const active = Number(userCounts[0]?.active ?? 0);
  const total = userCounts[0]?.total ?? 0;
  return { saml, oidc, tokens, users: { active, deactivated: total - active }, groups: groupCount[0]?.value ?? 0, scim, jobs };
}

export type CertificateHealth = "ok" | "expiring" | "expired";

export function certificateHealth(notAfter: string, now: number): CertificateHealth {
  const remaining = Date.parse(notAfter) - now;
  if (remaining <= 0) return "expired";
  return remaining <= CERTIFICATE_WARNING_DAYS * 24 * 3600 * 1000 ? "expiring" : "ok";
}

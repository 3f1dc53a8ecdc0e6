/** Reading a tenant's OIDC connection (written by the tenant's Durable Object), with its discovery kept fresh. */
import { and, eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { idpConnections } from "../db/schema";
import type { Env } from "../env";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/types";
import type { OidcConnectionSettings } from "./connection";
import { DISCOVERY_MAX_AGE_MS, fetchDiscovery } from "./discovery";

export async function loadOidcSettings(env: Env, tenantId: string): Promise<OidcConnectionSettings | undefined> {
  const [row] = await openDatabase(env.DB)
    .select({ settings: idpConnections.settings })
    .from(idpConnections)
    .where(and(eq(idpConnections.tenantId, tenantId), eq(idpConnections.protocol, "oidc")))
    .limit(1);
  return row ? (JSON.parse(row.settings) as OidcConnectionSettings) : undefined;
}

/** `settings` with a discovery document at most an hour old: refetched (and stored) when older. */
export async function refreshDiscoveryIfStale(env: Env, meta: WriteMeta, settings: OidcConnectionSettings, now: number): Promise<OidcConnectionSettings> {
  if (now - settings.discovery.fetchedAt < DISCOVERY_MAX_AGE_MS) return settings;
  const refreshed = await fetchDiscovery(settings.issuer, now);
  // An IdP briefly down keeps working from the copy we have; the next sign-in tries again.
  if (!refreshed.ok) return settings;
  await tenantWriter(env, meta.tenantId).refreshOidcDiscovery(meta, refreshed.discovery);
  return { ...settings, discovery: refreshed.discovery };
}

export async function loadFreshOidcSettings(env: Env, meta: WriteMeta, now: number): Promise<OidcConnectionSettings | undefined> {
  const settings = await loadOidcSettings(env, meta.tenantId);
  return settings && refreshDiscoveryIfStale(env, meta, settings, now);
}

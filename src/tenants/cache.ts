/**
 * Host → tenant lookups, cached in the isolate for a few seconds. Every request needs its tenant; the row almost
 * never changes (the slug and id are fixed for a tenant's life), so one D1 read per request would be waste.
 *
 * Accepted trade-off: a tenant deleted in another isolate may still resolve here for up to TENANT_CACHE_TTL_MS,
 * but everything it owns (tokens, users) is gone with it, so such a request is refused one step later (401).
 * Deletion and creation through this isolate drop the entry at once. Unknown slugs are cached briefly too, so a
 * flood of random subdomains cannot turn into a flood of D1 reads.
 */
import type { Database } from "../db/client";
import { findTenantBySlug, type TenantRow } from "./service";

export const TENANT_CACHE_TTL_MS = 10_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { tenant: TenantRow | undefined; expiresAt: number }>();

export async function lookupTenant(db: Database, slug: string, now: number): Promise<TenantRow | undefined> {
  const cached = entries.get(slug);
  if (cached && cached.expiresAt > now) return cached.tenant;
  const tenant = await findTenantBySlug(db, slug);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(slug, { tenant, expiresAt: now + (tenant ? TENANT_CACHE_TTL_MS : NEGATIVE_TTL_MS) });
  return tenant;
}

export function forgetTenant(slug: string): void {
  entries.delete(slug);
}

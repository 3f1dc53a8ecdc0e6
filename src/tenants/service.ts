/**
 * Tenant lifecycle for the operator API. Creation writes D1 directly (the tenant, and so its Durable Object, does
 * not exist yet; the unique slug index decides races). Everything after creation goes through the tenant's DO.
 */
import { asc, count, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { DEFAULT_ADMIN_ACCESS } from "../admin/access";
import { isUniqueViolation } from "../db/errors";
import { auditLog, groups, tenants, users } from "../db/schema";
import { newId } from "../lib/ids";
import { checkSlug } from "./slug";
import { tenantUrls, type TenantUrls } from "./urls";

export type TenantRow = typeof tenants.$inferSelect;

export interface TenantInfo extends TenantUrls {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

export function tenantInfo(row: TenantRow, origin: string): TenantInfo {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: new Date(row.createdAt).toISOString(), ...tenantUrls(origin) };
}

export async function findTenantBySlug(db: Database, slug: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return row;
}

export async function listTenants(db: Database): Promise<TenantRow[]> {
  return db.select().from(tenants).orderBy(asc(tenants.slug));
}

export type CreateTenantResult =
  | { ok: true; tenant: TenantRow }
  | { ok: false; code: "invalid_slug" | "invalid_name" | "tenant_exists"; message: string };

const MAX_TENANT_NAME = 200;

export async function createTenant(db: Database, input: { slug: unknown; name?: unknown }, now: number): Promise<CreateTenantResult> {
  if (typeof input.slug !== "string") return { ok: false, code: "invalid_slug", message: "slug is required." };
  const slug = checkSlug(input.slug);
  if (!slug.ok) return { ok: false, code: "invalid_slug", message: slug.reason };
  const name = input.name === undefined || input.name === null ? slug.slug : input.name;
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_TENANT_NAME) {
    return { ok: false, code: "invalid_name", message: `name must be a non-empty string of at most ${MAX_TENANT_NAME} characters.` };
  }
  const tenant: TenantRow = { id: newId("tn"), slug: slug.slug, name: name.trim(), adminAccess: JSON.stringify(DEFAULT_ADMIN_ACCESS), createdAt: now, updatedAt: now };
  try {
    await db.batch([
      db.insert(tenants).values(tenant),
      db.insert(auditLog).values({ id: newId("aud"), tenantId: tenant.id, at: now, actor: "operator", action: "tenant.created", resourceType: "Tenant", resourceId: tenant.id, detail: JSON.stringify({ slug: tenant.slug }) }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      return { ok: false, code: "tenant_exists", message: `A tenant "${slug.slug}" already exists.` };
    }
    throw error;
  }
  return { ok: true, tenant };
}

export async function countDirectory(db: Database, tenantId: string): Promise<{ users: number; groups: number }> {
  const [userCount] = await db.select({ value: count() }).from(users).where(eq(users.tenantId, tenantId));
  const [groupCount] = await db.select({ value: count() }).from(groups).where(eq(groups.tenantId, tenantId));
  return { users: userCount?.value ?? 0, groups: groupCount?.value ?? 0 };
}

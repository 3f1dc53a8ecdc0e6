/**
 * Who may open the admin console through SSO (issue 4 §1): a user of this tenant whose role values (the SAML or
 * OIDC role attribute, or SCIM `roles`) include one the tenant names, or who is a member of a group the tenant
 * maps to admin. Everyone else gets 403. Decided from the directory as it is now — not from the session's claims
 * alone — so removing someone's role or group in the IdP takes the console away at the next request.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { tenants, users } from "../db/schema";
import { isPlainObject } from "../lib/json";
import { groupsOfUsers } from "../scim/store";
import { scimRoles } from "../scim/resources";

export interface AdminAccess {
  /** Role values that grant the console; compared case-insensitively. */
  roles: string[];
  /** Group display names that grant the console; compared case-insensitively. */
  groups: string[];
}

export const DEFAULT_ADMIN_ACCESS: AdminAccess = { roles: ["admin"], groups: [] };
const MAX_ENTRIES = 20;
const MAX_ENTRY_LENGTH = 256;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

export function parseAdminAccess(json: string): AdminAccess {
  const parsed = JSON.parse(json) as unknown;
  return isPlainObject(parsed) ? { roles: stringList(parsed.roles), groups: stringList(parsed.groups) } : DEFAULT_ADMIN_ACCESS;
}

/** One entry per line (or comma-separated); blank entries dropped; duplicates folded. */
export function readAccessList(text: string | null, what: string): string[] | { error: string } {
  const entries = [...new Set((text ?? "").split(/[\n,]/).map((entry) => entry.trim()).filter(Boolean))];
  if (entries.length > MAX_ENTRIES) return { error: `At most ${MAX_ENTRIES} ${what}.` };
  const long = entries.find((entry) => entry.length > MAX_ENTRY_LENGTH);
  if (long) return { error: `“${long.slice(0, 40)}…” is too long (at most ${MAX_ENTRY_LENGTH} characters).` };
  return entries;
}

/** Pure: whether these role values or group names meet the tenant's rule. */
export function grantsConsole(access: AdminAccess, roles: readonly string[], groupNames: readonly string[]): boolean {
  const fold = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));
  const userRoles = fold(roles);
  const userGroups = fold(groupNames);
  return access.roles.some((role) => userRoles.has(role.toLowerCase())) || access.groups.some((group) => userGroups.has(group.toLowerCase()));
}

export async function loadAdminAccess(db: Database, tenantId: string): Promise<AdminAccess> {
  const [row] = await db.select({ adminAccess: tenants.adminAccess }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row ? parseAdminAccess(row.adminAccess) : DEFAULT_ADMIN_ACCESS;
}

/**
 * Whether this active user may open the console now: the tenant's rule over the role values the IdP sent at
 * sign-in (`signInRoles`) plus the user's current SCIM roles and group memberships. A deactivated or deleted user
 * never may.
 */
export async function userMayAdminister(db: Database, tenantId: string, userId: string, signInRoles: readonly string[]): Promise<boolean> {
  const [user] = await db
    .select({ data: users.data })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.active, sql`1`)))
    .limit(1);
  if (!user) return false;
  const [access, memberships] = await Promise.all([loadAdminAccess(db, tenantId), groupsOfUsers(db, tenantId, [userId])]);
  const groupNames = (memberships.get(userId) ?? []).map((group) => group.displayName);
  return grantsConsole(access, [...signInRoles, ...scimRoles(user.data)], groupNames);
}

/**
 * D1 schema. Every tenant-owned table carries `tenant_id` and every index that serves a lookup starts with it,
 * so each query is tenant-scoped by construction. `drizzle-kit generate` turns this file into `migrations/`.
 *
 * Times are epoch milliseconds (integers): they sort, compare and survive JSON without a timezone.
 * Ids are prefixed by kind (`tn_`, `usr_`, `grp_`, `tok_`, …) and carry 128 random bits: unguessable, so an id
 * from one tenant is useless against another even before the tenant filter rejects it.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /**
     * JSON `{roles, groups}`: who may open the admin console through SSO — a user with one of these role values
     * (SAML/OIDC role attribute or SCIM `roles`) or a member of one of these groups (src/admin/access.ts).
     */
    adminAccess: text("admin_access").notNull().default(sql`'{"roles":["admin"],"groups":[]}'`),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenants_slug_unique").on(t.slug)],
);

/** The tenant's identity-provider connection (SAML today; OIDC later). One row per tenant. */
export const idpConnections = sqliteTable("idp_connections", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  protocol: text("protocol", { enum: ["saml", "oidc"] }).notNull(),
  /** Protocol settings as JSON (for SAML: ssoUrl, issuer, certificates as PEM). Parsed and checked on read. */
  settings: text("settings").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** SCIM bearer tokens. Only the SHA-256 of the token is stored; the token itself is shown once. */
export const scimTokens = sqliteTable(
  "scim_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** First characters of the token, safe to show ("gh_scim_AbC…") so an admin can tell tokens apart. */
    hint: text("hint").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Set when a newer token replaced this one: the token keeps working until then (rotation grace). */
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("scim_tokens_hash_unique").on(t.tokenHash), index("scim_tokens_tenant").on(t.tenantId)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userName: text("user_name").notNull(),
    /** userName folded for the case-insensitive uniqueness RFC 7643 §4.1.1 asks for ("caseExact": false). */
    userNameKey: text("user_name_key").notNull(),
    externalId: text("external_id"),
    active: integer("active", { mode: "boolean" }).notNull(),
    /** Primary (else first) email, folded: the SAML NameID lookup key. */
    emailKey: text("email_key"),
    displayName: text("display_name"),
    /** The whole SCIM resource as stored (canonical attribute names, no id/meta/password). */
    data: text("data").notNull(),
    /** "scim" or "jit" (just-in-time created at sign-in). */
    source: text("source", { enum: ["scim", "jit"] }).notNull(),
    version: integer("version").notNull(),
    /** Sessions carry this number; deactivation bumps it, so no earlier session is accepted again. */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("users_tenant_user_name_unique").on(t.tenantId, t.userNameKey),
    index("users_tenant_external_id").on(t.tenantId, t.externalId),
    index("users_tenant_email").on(t.tenantId, t.emailKey),
    index("users_tenant_created").on(t.tenantId, t.createdAt, t.id),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    /** displayName folded: one group per name and tenant, so a retried group push cannot create a twin. */
    displayNameKey: text("display_name_key").notNull(),
    externalId: text("external_id"),
    /** The SCIM resource without members (they live in group_members), id or meta. */
    data: text("data").notNull(),
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("groups_tenant_display_name_unique").on(t.tenantId, t.displayNameKey),
    index("groups_tenant_external_id").on(t.tenantId, t.externalId),
    index("groups_tenant_created").on(t.tenantId, t.createdAt, t.id),
  ],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index("group_members_tenant_user").on(t.tenantId, t.userId),
  ],
);

/** Every SCIM write (and operator action), in the order the tenant's Durable Object applied them. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    /** Who: `scim:tok_…`, `operator`. */
    actor: text("actor").notNull(),
    /** What: `user.created`, `group.members_added`, `scim_token.issued`, … */
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    /** JSON: what changed (never a secret). */
    detail: text("detail").notNull().default(sql`'{}'`),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_tenant_at").on(t.tenantId, t.at)],
);

/**
 * Admin console sessions (opaque: the cookie holds a random secret, the row its SHA-256), so an operator or the
 * tenant admin can end them at once. Created by the tenant's Durable Object when a one-time link is redeemed.
 */
export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** Who: `operator-link` for a CLI link, or a user id for an SSO admin. */
    subject: text("subject").notNull(),
    /** Per-session CSRF token, embedded in every console form. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("admin_sessions_hash_unique").on(t.tokenHash), index("admin_sessions_tenant").on(t.tenantId)],
);

/** Every SAML (and later OIDC) sign-in attempt, with the precise reason of a failure, for the tenant admin. */
export const signInAttempts = sqliteTable(
  "sign_in_attempts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    protocol: text("protocol", { enum: ["saml", "oidc"] }).notNull(),
    result: text("result", { enum: ["success", "failure"] }).notNull(),
    /** The reason code of a failure (src/saml/errors.ts); null on success. */
    reason: text("reason"),
    /** The user signed in (or the one the IdP named, when known). */
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    nameId: text("name_id"),
    /** JSON: expected vs received, IdP clock vs edge clock, certificate fingerprints. Never a secret. */
    detail: text("detail").notNull().default(sql`'{}'`),
    requestId: text("request_id"),
  },
  (t) => [index("sign_in_attempts_tenant_at").on(t.tenantId, t.at)],
);

/** Sessions ended before their expiry (POST /logout), remembered until they would have expired. */
export const revokedSessions = sqliteTable(
  "revoked_sessions",
  {
    jti: text("jti").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("revoked_sessions_tenant").on(t.tenantId, t.expiresAt)],
);

/**
 * The outbox: one row per directory change and sign-in, in commit order (`seq`), for the host app's webhook and
 * `GET /api/directory/events?after=`. Rows are written by triggers on `audit_log` and `sign_in_attempts`
 * (migrations/0005_outbox_triggers.sql), so an event exists exactly when its change committed — same D1 transaction, no
 * code path that could write one without the other.
 */
export const events = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    /** Public id (the id of the audit or sign-in attempt row it came from). */
    id: text("id").notNull(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** `user.created`, `group.members_added`, `sso.succeeded`, … */
    type: text("type").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    /** JSON: what changed (the audit detail), never a secret. */
    data: text("data").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    requestId: text("request_id"),
    /** Webhook delivery: pending → delivered, or failed after the last retry (redeliver sets it pending again). */
    deliveryStatus: text("delivery_status", { enum: ["pending", "delivered", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [uniqueIndex("events_id_unique").on(t.id), index("events_tenant_seq").on(t.tenantId, t.seq), index("events_tenant_status").on(t.tenantId, t.deliveryStatus, t.seq)],
);

/** Where a tenant's events are delivered, and the HMAC-SHA256 secret that signs them (set by operator or console). */
export const webhooks = sqliteTable("webhooks", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  /** Needed in the clear to sign; shown once when set. */
  secret: text("secret").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Host-app API keys for `/api/directory/*`: SHA-256 only, like SCIM tokens. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    keyHash: text("key_hash").notNull(),
    hint: text("hint").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_unique").on(t.keyHash), index("api_keys_tenant").on(t.tenantId)],
);

/**
 * Provisioning jobs: a large membership change (more than 100 members) or a tenant-wide operation, applied in
 * batches of at most 100 through the `provisioning` queue. The tenant's Durable Object owns the rows (and keeps
 * the batches themselves in its own storage); the console and the operator read them.
 */
export const provisioningJobs = sqliteTable(
  "provisioning_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** `group.members`, `integration.remove`, … */
    kind: text("kind").notNull(),
    /** The group whose later requests wait behind this job (null for tenant-wide jobs). */
    groupId: text("group_id"),
    state: text("state", { enum: ["queued", "running", "done", "failed"] }).notNull(),
    total: integer("total").notNull(),
    applied: integer("applied").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    batches: integer("batches").notNull(),
    batchesDone: integer("batches_done").notNull().default(0),
    error: text("error"),
    requestId: text("request_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("provisioning_jobs_tenant_created").on(t.tenantId, t.createdAt), index("provisioning_jobs_tenant_group").on(t.tenantId, t.groupId, t.state)],
);

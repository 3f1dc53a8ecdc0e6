import type { Config } from "./config";
import type { TenantDurableObject } from "./tenant-do/tenant-do";
import type { HostKind } from "./tenants/host";
import type { TenantRow } from "./tenants/service";

/** Bindings and variables, as wrangler.toml and `.dev.vars` / `wrangler secret put` provide them. */
export interface Env {
  DB: D1Database;
  TENANT_DO: DurableObjectNamespace<TenantDurableObject>;
  PROVISIONING_QUEUE: Queue;
  EVENTS_QUEUE: Queue;
  SCIM_RATE_LIMITER: RateLimit;
  /** Tenants live on `{slug}.{GATEHOUSE_DOMAIN}`; the apex serves the operator API. */
  GATEHOUSE_DOMAIN: string;
  /** Optional: another host that serves the operator API (for example `ops.example.com`). */
  OPERATOR_HOST?: string;
  /** Secret: bearer token of the operator API. */
  OPERATOR_TOKEN?: string;
  /** Secret: the private JWK (ES256 or EdDSA, with `kid`) that signs session tokens. */
  SESSION_SIGNING_KEY?: string;
  /** Optional: JSON array of public JWKs of earlier signing keys, published until their sessions expire. */
  SESSION_SIGNING_KEYS_PREVIOUS?: string;
  /** Optional: seconds before the first retry of a failed provisioning batch (doubling after; default 10). */
  PROVISIONING_RETRY_DELAY_SECONDS?: string;
  /** TEST ONLY, set by vitest.config.ts alone: `"on"` enables src/tenant-do/test-faults.ts. Never set it anywhere else. */
  GATEHOUSE_TEST_FAULTS?: string;
  /** Optional: seconds before the first retry of a failed webhook delivery, doubling after (src/events/retry.ts); default 2. */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
}

export interface AppVariables {
  requestId: string;
  config: Config;
  host: HostKind;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** Routes under a tenant host: the tenant is resolved before they run. */
export interface TenantVariables extends AppVariables {
  tenant: TenantRow;
  /** `https://acme.theirapp.com` (locally `http://acme.localhost:8787`). */
  origin: string;
}

export type TenantEnv = { Bindings: Env; Variables: TenantVariables };

/** SCIM routes: the caller's token is checked before they run. */
export interface ScimVariables extends TenantVariables {
  scimTokenId: string;
  /** SHA-256 of the presented token: the tenant's Durable Object checks it again when it applies a write. */
  scimTokenHash: string;
}

export type ScimEnv = { Bindings: Env; Variables: ScimVariables };

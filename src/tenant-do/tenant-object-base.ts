/**
 * What every part of the tenant's Durable Object shares: its bindings, the write lane, the in-memory token sets,
 * the outbox and provisioning machinery, the tenant binding check (`claim`) and the one alarm. The RPC methods
 * are layered on top by area — directory-methods.ts, sign-in-methods.ts, console-methods.ts, tenant-do.ts — so
 * each file stays about one concern while the object keeps one surface.
 */
import { DurableObject } from "cloudflare:workers";
import { openDatabase, type Database } from "../db/client";
import type { Env } from "../env";
import type { ScimResult } from "../scim/errors";
import { createUsers, type CreateRequest } from "../scim/user-writes";
import type { WriteContext, WriteOutcome } from "../scim/write-context";
import type { TokenCheck, TokenRow } from "../tenants/scim-tokens";
import { API_KEYS, SCIM_TOKENS, TokenRegistry } from "./token-registry";
import type { ApiKeyCheck, ApiKeyRow } from "../tenants/api-keys";
import { WriteLane } from "./write-lane";
import { ensureSamlTables } from "./saml-state";
import { ensureOidcTables } from "./oidc-state";
import { ensureAdminLinkTable } from "./admin-links";
import { ensureTokenRevealTable } from "./token-reveals";
import { OutboxDelivery } from "./outbox-delivery";
import { ProvisioningJobs } from "./provisioning-jobs";
import { ensureProvisioningTables } from "./provisioning-store";

import type { WriteMeta } from "./types";

export abstract class TenantObjectBase extends DurableObject<Env> {
  protected readonly db: Database;
  protected readonly queue: WriteLane<CreateRequest, ScimResult<WriteOutcome>>;
  protected readonly tokens: TokenRegistry<TokenRow, TokenCheck>;
  protected readonly apiKeys: TokenRegistry<ApiKeyRow, ApiKeyCheck>;
  protected readonly outbox: OutboxDelivery;
  protected readonly provisioning: ProvisioningJobs;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openDatabase(env.DB);
    this.queue = new WriteLane(createUsers);
    this.tokens = new TokenRegistry(this.db, SCIM_TOKENS);
    this.apiKeys = new TokenRegistry(this.db, API_KEYS);
    ensureAdminLinkTable(ctx.storage.sql);
    ensureSamlTables(ctx.storage.sql);
    ensureOidcTables(ctx.storage.sql);
    ensureTokenRevealTable(ctx.storage.sql);
    this.outbox = new OutboxDelivery(ctx.storage, this.db, env.EVENTS_QUEUE);
    ensureProvisioningTables(ctx.storage.sql);
    this.provisioning = new ProvisioningJobs(ctx.storage, env);
    // A batch cut off mid-write by a reset is settled before any request can see its group (provisioning-jobs.ts).
    const tenantId = ctx.storage.kv.get<string>("tenantId");
    if (tenantId !== undefined && this.provisioning.hasInterrupted()) void ctx.blockConcurrencyWhile(() => this.provisioning.recoverInterrupted(tenantId));
  }

  /**
   * Binds this object to one tenant on first use and refuses any other afterwards: a routing bug can then never
   * apply tenant A's write through tenant B's serialiser.
   */
  protected claim(tenantId: string): void {
    const bound = this.ctx.storage.kv.get<string>("tenantId");
    if (bound === undefined) this.ctx.storage.kv.put("tenantId", tenantId);
    else if (bound !== tenantId) throw new Error("tenant durable object received a request for another tenant");
  }

  protected context(meta: WriteMeta): WriteContext {
    return { db: this.db, d1: this.env.DB, ...meta, now: Date.now() };
  }

  // Events to the host app (src/events/, src/tenant-do/outbox-delivery.ts). Changes reach the outbox through D1
  // triggers in their own transaction; this object only decides when the queue hears about them, leases the
  // outbox to one consumer at a time, and records what each delivery did.

  /**
   * The hook for every write path that can add outbox rows — anything that writes `audit_log` (directory changes)
   * or `sign_in_attempts`: call it once the write has committed. It sends nothing itself (no queue message per
   * SCIM write): at most it sets this object's alarm a moment ahead, and only when the tenant has a webhook.
   */
  protected async outboxChanged(): Promise<void> {
    await this.outbox.changed(Date.now());
  }

  /** `write`'s result, after outboxChanged(): for write paths that return what the write lane answers. */
  protected async thenOutboxChanged<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.outboxChanged();
    return result;
  }

  /**
   * The one alarm serves the outbox (a nudge to the events queue, or the watchdog of the nudge in flight) and
   * provisioning jobs (batches to send again). Both run whichever fails; a failure is rethrown, so the runtime
   * retries the alarm, and both are safe to run again. One after the other: each only moves the alarm earlier,
   * which needs the other's setting in place first.
   */
  override async alarm(): Promise<void> {
    const tenantId = this.ctx.storage.kv.get<string>("tenantId");
    if (tenantId === undefined) return;
    const now = Date.now();
    let failure: unknown;
    for (const run of [() => this.outbox.alarm(tenantId, now), () => this.provisioning.alarm(tenantId, now)]) {
      await run().catch((error: unknown) => (failure ??= error));
    }
    if (failure !== undefined) throw failure;
  }
}

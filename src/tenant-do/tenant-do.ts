/**
 * The per-tenant Durable Object (one per tenant, `idFromName(tenantId)`): the single writer of that tenant's
 * directory. Its RPC surface is explicit; every write runs inside one serial queue, so concurrent IdP requests are
 * applied one at a time, in arrival order, and uniqueness checks cannot race. The surface is layered by area, each
 * file one concern: tenant-object-base.ts (shared state, claim, alarm) → directory-methods.ts (SCIM, tokens, IdP
 * settings, provisioning batches, request log) → sign-in-methods.ts → console-methods.ts → this file (what the
 * host app uses: directory API keys, webhooks, the outbox).
 */
import { auditEntry } from "../scim/write-context";
import { prepareApiKeyIssue, revokeApiKeyStatement, type ApiKeyCheck, type IssuedApiKey } from "../tenants/api-keys";
import { storeTokenReveal } from "./token-reveals";
import type { DeliveryOutcome, OutboxLease } from "./outbox-delivery";
import { requeueEvent } from "../events/outbox-store";
import { deleteWebhookStatement, prepareWebhookSet, webhookSetResult, type WebhookSet } from "../events/webhooks";
import { ConsoleMethods } from "./console-methods";
import type { WriteMeta } from "./types";

export type { IssuedToken, ScimWriteCommand, WriteMeta } from "./types";

/** The object itself: the layers below, plus what the host app uses (directory API keys, webhooks, the outbox). */
export class TenantDurableObject extends ConsoleMethods {
  // Host-app API keys (src/tenants/api-keys.ts): issued and revoked in the write lane, checked in memory.

  /**
   * Checks a presented API key (the worker sends its SHA-256, never the key). In memory, outside the write lane:
   * a host app catching up after downtime reads while SCIM writes are being applied, not behind them.
   */
  async authenticateApiKey(tenantId: string, keyHash: string): Promise<ApiKeyCheck> {
    this.claim(tenantId);
    return this.apiKeys.check(tenantId, keyHash, Date.now());
  }

  async issueApiKey(meta: WriteMeta): Promise<IssuedApiKey> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      const issued = await prepareApiKeyIssue(this.db, meta.tenantId, context.now);
      await this.db.batch([issued.statement, auditEntry(context, "api_key.issued", "ApiKey", issued.id)]);
      this.apiKeys.changed();
      return { key: issued.key, id: issued.id, hint: issued.hint, createdAt: new Date(context.now).toISOString() };
    });
  }

  /** Revokes one key: the next check reloads the set, so the very next request with the key is refused. */
  async revokeApiKey(meta: WriteMeta, keyId: string): Promise<boolean> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      const revoked = await revokeApiKeyStatement(this.db, meta.tenantId, keyId, context.now);
      if (revoked.length === 0) return false;
      this.apiKeys.changed();
      await auditEntry(context, "api_key.revoked", "ApiKey", keyId);
      return true;
    });
  }

  /** A key issued from the console, kept for its one showing (token-reveals.ts). Returns the reveal id. */
  async issueApiKeyForConsole(meta: WriteMeta, adminSessionId: string): Promise<string> {
    const issued = await this.issueApiKey(meta);
    return storeTokenReveal(this.ctx.storage.sql, adminSessionId, issued.key, Date.now());
  }

  /** Sets the webhook with a new signing secret, returned this once. The URL was validated by the caller. */
  async setWebhook(meta: WriteMeta, url: string): Promise<WebhookSet> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      // The audit row names the host only: the URL's query may carry the host app's own token.
      const [rows] = await this.db.batch([prepareWebhookSet(this.db, meta.tenantId, url, context.now), auditEntry(context, "webhook.set", "Webhook", meta.tenantId, { host: new URL(url).host })]);
      await this.outbox.webhookChanged(true, context.now);
      return webhookSetResult(rows[0]!);
    });
  }

  /** A webhook set from the console: its secret is kept for one showing (token-reveals.ts). Returns the reveal id. */
  async setWebhookForConsole(meta: WriteMeta, adminSessionId: string, url: string): Promise<string> {
    const set = await this.setWebhook(meta, url);
    return storeTokenReveal(this.ctx.storage.sql, adminSessionId, set.secret, Date.now());
  }

  /** Stops deliveries; events stay in the outbox (pending ones go to the next webhook set). False when none was set. */
  async removeWebhook(meta: WriteMeta): Promise<boolean> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      const [removed] = await this.db.batch([deleteWebhookStatement(this.db, meta.tenantId), auditEntry(context, "webhook.removed", "Webhook", meta.tenantId)]);
      await this.outbox.webhookChanged(false, context.now);
      return removed.length > 0;
    });
  }

  /** An explicit redeliver: the event (delivered or failed) is pending again. False when the tenant has no such event. */
  async redeliverEvent(meta: WriteMeta, eventId: string): Promise<boolean> {
    this.claim(meta.tenantId);
    const found = await requeueEvent(this.db, meta.tenantId, eventId);
    if (found) await this.outboxChanged();
    return found;
  }

  /** The events consumer's lease on this tenant's pending events, for the nudge (`chain`) it is handling. */
  async leaseOutbox(tenantId: string, chain: string): Promise<OutboxLease> {
    this.claim(tenantId);
    return this.outbox.lease(tenantId, chain, Date.now());
  }

  /** One delivery's outcome; true while the caller may go on with the next event. */
  async recordDelivery(tenantId: string, leaseId: string, eventId: string, outcome: DeliveryOutcome): Promise<boolean> {
    this.claim(tenantId);
    return this.outbox.record(tenantId, leaseId, eventId, outcome, Date.now());
  }

  async releaseOutbox(tenantId: string, leaseId: string): Promise<void> {
    this.claim(tenantId);
    await this.outbox.release(tenantId, leaseId, Date.now());
  }

  /** The nudge's retries are spent (dead-letter queue): what it could not deliver is marked failed. */
  async deadLetterOutbox(tenantId: string, chain: string): Promise<number> {
    this.claim(tenantId);
    return this.outbox.deadLetter(tenantId, chain);
  }
}

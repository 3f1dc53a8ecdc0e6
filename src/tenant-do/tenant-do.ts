/**
 * The per-tenant Durable Object (one per tenant, `idFromName(tenantId)`): the single writer of that tenant's
 * directory. Its RPC surface is small and explicit; every method runs inside one serial queue, so concurrent IdP
 * requests are applied one at a time, in arrival order, and uniqueness checks cannot race.
 */
import { DurableObject } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { openDatabase, type Database } from "../db/client";
import { idpConnections, tenants } from "../db/schema";
import type { Env } from "../env";
import type { JsonValue } from "../lib/json";
import type { ScimResult } from "../scim/errors";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "../scim/group-writes";
import { createUsers, deleteUser, patchUser, replaceUser, type CreateRequest } from "../scim/user-writes";
import { auditEntry, type WriteContext, type WriteOutcome } from "../scim/write-context";
import { countDirectory } from "../tenants/service";
import { prepareTokenIssue, revokeTokenStatement } from "../tenants/scim-tokens";
import { scimStatusError } from "../scim/errors";
import { TOKEN_REFUSALS, type TokenCheck, type TokenRow } from "../tenants/scim-tokens";
import { API_KEYS, SCIM_TOKENS, TokenRegistry } from "./token-registry";
import { prepareApiKeyIssue, revokeApiKeyStatement, type ApiKeyCheck, type ApiKeyRow, type IssuedApiKey } from "../tenants/api-keys";
import { WriteLane } from "./write-lane";
import { consumeSamlIds, ensureSamlTables, storeAuthnRequest, type SingleUseOutcome } from "./saml-state";
import { attemptStatement, type AttemptRecord } from "../saml/attempts";
import { newRequestId } from "../saml/authn-request";
import { provisionJitUser } from "../scim/user-writes";
import { revokedSessions } from "../db/schema";
import { consumeAdminLink, ensureAdminLinkTable, storeAdminLink, type RedeemOutcome } from "./admin-links";
import { OPERATOR_LINK_SUBJECT, prepareAdminSession, revokeAdminSessionStatement } from "../admin/sessions";
import { sha256Hex } from "../lib/bytes";
import type { AdminAccess } from "../admin/access";
import type { RemovalOutcome } from "../admin/removal";
import { dropTokenReveals, ensureTokenRevealTable, storeTokenReveal, takeTokenReveal } from "./token-reveals";
import { newSecret } from "../lib/ids";
import { OutboxDelivery, type DeliveryOutcome, type OutboxLease } from "./outbox-delivery";
import { requeueEvent } from "../events/outbox-store";
import { deleteWebhookStatement, prepareWebhookSet, webhookSetResult, type WebhookSet } from "../events/webhooks";
import { ProvisioningJobs, type ApplyOutcome, type FailOutcome } from "./provisioning-jobs";
import { ensureProvisioningTables } from "./provisioning-store";
import { removeIntegration } from "./integration-removal";
import { appendScimRequest, listScimRequests, summariseScimRequests, type ScimRequestEntry, type ScimRequestPage, type ScimRequestQuery, type ScimRequestSummary } from "./request-log";

export interface WriteMeta {
  tenantId: string;
  actor: string;
  requestId: string;
  baseUrl: string;
}

export type ScimWriteCommand =
  | { action: "createUser"; body: JsonValue | undefined }
  | { action: "replaceUser"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "patchUser"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "deleteUser"; id: string; ifMatch?: string }
  | { action: "createGroup"; body: JsonValue | undefined }
  | { action: "replaceGroup"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "patchGroup"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "deleteGroup"; id: string; ifMatch?: string };

export interface IssuedToken {
  token: string;
  id: string;
  hint: string;
  createdAt: string;
  previousTokensExpireAt: string;
}

export class TenantDurableObject extends DurableObject<Env> {
  private readonly db: Database;
  private readonly queue: WriteLane<CreateRequest, ScimResult<WriteOutcome>>;
  private readonly tokens: TokenRegistry<TokenRow, TokenCheck>;
  private readonly apiKeys: TokenRegistry<ApiKeyRow, ApiKeyCheck>;
  private readonly outbox: OutboxDelivery;
  private readonly provisioning: ProvisioningJobs;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.db = openDatabase(env.DB);
    this.queue = new WriteLane(createUsers);
    this.tokens = new TokenRegistry(this.db, SCIM_TOKENS);
    this.apiKeys = new TokenRegistry(this.db, API_KEYS);
    ensureAdminLinkTable(ctx.storage.sql);
    ensureSamlTables(ctx.storage.sql);
    ensureTokenRevealTable(ctx.storage.sql);
    this.outbox = new OutboxDelivery(ctx.storage, this.db, env.EVENTS_QUEUE);
    ensureProvisioningTables(ctx.storage.sql);
    this.provisioning = new ProvisioningJobs(ctx.storage, env);
    // A batch cut off mid-write by a reset is settled before any request can see its group (provisioning-jobs.ts).
    const tenantId = ctx.storage.kv.get<string>("tenantId");
    if (tenantId !== undefined && this.provisioning.hasInterrupted()) void ctx.blockConcurrencyWhile(() => this.provisioning.recoverInterrupted(tenantId));
  }

  /** Remembers a new AuthnRequest ID (SP-initiated sign-in) for 10 minutes, for one answer. */
  async createAuthnRequest(meta: WriteMeta): Promise<{ id: string; expiresAt: number }> {
    this.claim(meta.tenantId);
    const id = newRequestId();
    return { id, expiresAt: storeAuthnRequest(this.ctx.storage.sql, id, Date.now()) };
  }

  /**
   * The single-use step of a sign-in: the assertion is marked seen and the AuthnRequest it answers used (one
   * storage transaction), then the attempt is logged — a success, or the replay/InResponseTo failure.
   */
  async completeSamlSignIn(meta: WriteMeta, input: { assertionId: string; replayableUntil: number; inResponseTo: string | null }, attempt: AttemptRecord): Promise<SingleUseOutcome> {
    this.claim(meta.tenantId);
    const now = Date.now();
    const outcome = consumeSamlIds(this.ctx.storage, input, now);
    const record: AttemptRecord =
      outcome === "ok" ? attempt : { ...attempt, result: "failure", reason: outcome, detail: { ...attempt.detail, assertionId: input.assertionId, inResponseTo: input.inResponseTo } };
    await attemptStatement(this.db, meta.tenantId, record, now);
    await this.outboxChanged();
    return outcome;
  }

  /** Logs a failed sign-in (the reason and its detail, for the tenant admin). */
  async recordSignInAttempt(meta: WriteMeta, attempt: AttemptRecord): Promise<void> {
    this.claim(meta.tenantId);
    await attemptStatement(this.db, meta.tenantId, attempt, Date.now());
    await this.outboxChanged();
  }

  /** Just-in-time provisioning at sign-in (when the tenant enables it): in the write lane like any SCIM create. */
  async provisionUserAtSignIn(meta: WriteMeta, user: { userName: string; givenName: string | null; familyName: string | null; email: string | null }): Promise<string | null> {
    this.claim(meta.tenantId);
    return this.thenOutboxChanged(this.queue.run(() => provisionJitUser(this.context(meta), user)));
  }

  /** Ends one session before its expiry (POST /logout). */
  async revokeSession(meta: WriteMeta, jti: string, expiresAt: number): Promise<void> {
    this.claim(meta.tenantId);
    await this.db.insert(revokedSessions).values({ jti, tenantId: meta.tenantId, expiresAt }).onConflictDoNothing();
  }

  /** Mints a one-time console sign-in link secret (valid 15 minutes); only its hash is kept. */
  async mintAdminLink(meta: WriteMeta): Promise<{ secret: string; expiresAt: string }> {
    this.claim(meta.tenantId);
    const secret = newSecret("gh_link_");
    const expiresAt = storeAdminLink(this.ctx.storage.sql, await sha256Hex(secret), Date.now());
    await this.db.batch([auditEntry(this.context(meta), "admin_link.issued", "AdminSession", null)]);
    return { secret, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Redeems a sign-in link once: on success a console session is created and its secret returned. */
  async redeemAdminLink(meta: WriteMeta, secret: string): Promise<{ ok: true; sessionSecret: string; csrfToken: string } | { ok: false; reason: Exclude<RedeemOutcome, "ok"> }> {
    this.claim(meta.tenantId);
    const now = Date.now();
    const outcome = consumeAdminLink(this.ctx.storage, await sha256Hex(secret), now);
    if (outcome !== "ok") return { ok: false, reason: outcome };
    const session = await prepareAdminSession(this.db, meta.tenantId, OPERATOR_LINK_SUBJECT, now);
    await this.db.batch([session.statement, auditEntry(this.context(meta), "admin_session.started", "AdminSession", session.row.id, { via: "admin-link" })]);
    return { ok: true, sessionSecret: session.secret, csrfToken: session.row.csrfToken };
  }

  async endAdminSession(meta: WriteMeta, sessionId: string): Promise<void> {
    this.claim(meta.tenantId);
    const now = Date.now();
    await this.db.batch([revokeAdminSessionStatement(this.db, meta.tenantId, sessionId, now), auditEntry(this.context(meta), "admin_session.ended", "AdminSession", sessionId)]);
  }

  /**
   * Checks a presented SCIM token (the worker sends its SHA-256, never the token). In memory, outside the write
   * lane: reads are not held up behind writes.
   */
  async authenticate(tenantId: string, tokenHash: string): Promise<TokenCheck> {
    this.claim(tenantId);
    return this.tokens.check(tenantId, tokenHash, Date.now());
  }

  /**
   * Binds this object to one tenant on first use and refuses any other afterwards: a routing bug can then never
   * apply tenant A's write through tenant B's serialiser.
   */
  private claim(tenantId: string): void {
    const bound = this.ctx.storage.kv.get<string>("tenantId");
    if (bound === undefined) this.ctx.storage.kv.put("tenantId", tenantId);
    else if (bound !== tenantId) throw new Error("tenant durable object received a request for another tenant");
  }

  private context(meta: WriteMeta): WriteContext {
    return { db: this.db, d1: this.env.DB, ...meta, now: Date.now() };
  }

  /**
   * Applies one SCIM write. The token is checked again here, at the moment of writing, so a token revoked while
   * its request was in flight writes nothing.
   */
  async applyScimWrite(meta: WriteMeta, tokenHash: string, command: ScimWriteCommand): Promise<ScimResult<WriteOutcome>> {
    this.claim(meta.tenantId);
    const check = await this.tokens.check(meta.tenantId, tokenHash, Date.now());
    if (!check.ok) return { ok: false, error: scimStatusError(401, TOKEN_REFUSALS[check.reason]) };
    if (command.action === "createUser") return this.thenOutboxChanged(this.queue.add({ context: this.context(meta), body: command.body }));
    return this.thenOutboxChanged(this.queue.run(() => {
      const context = this.context(meta);
      switch (command.action) {
        case "replaceUser":
          return replaceUser(context, command.id, command.body, command.ifMatch);
        case "patchUser":
          return patchUser(context, command.id, command.body, command.ifMatch);
        case "deleteUser":
          return deleteUser(context, command.id, command.ifMatch);
        case "createGroup":
          return createGroup(context, this.provisioning, command.body);
        case "replaceGroup":
          return replaceGroup(context, this.provisioning, command.id, command.body, command.ifMatch);
        case "patchGroup":
          return patchGroup(context, this.provisioning, command.id, command.body, command.ifMatch);
        case "deleteGroup":
          return deleteGroup(context, this.provisioning, command.id, command.ifMatch);
      }
    }));
  }

  async issueScimToken(meta: WriteMeta, graceSeconds: number): Promise<IssuedToken> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      const issued = await prepareTokenIssue(this.db, meta.tenantId, context.now, graceSeconds);
      await this.db.batch([...issued.statements, auditEntry(context, "scim_token.issued", "ScimToken", issued.id, { graceSeconds })]);
      this.tokens.changed();
      return {
        token: issued.token,
        id: issued.id,
        hint: issued.hint,
        createdAt: new Date(context.now).toISOString(),
        previousTokensExpireAt: new Date(issued.previousExpireAt).toISOString(),
      };
    });
  }

  async revokeScimToken(meta: WriteMeta, tokenId: string): Promise<boolean> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const context = this.context(meta);
      const revoked = await revokeTokenStatement(this.db, meta.tenantId, tokenId, context.now);
      if (revoked.length === 0) return false;
      this.tokens.changed();
      // In the lane, so nothing else of this tenant runs between the revocation and its audit row.
      await auditEntry(context, "scim_token.revoked", "ScimToken", tokenId);
      return true;
    });
  }

  /** Saves the IdP connection settings (already validated by the caller). */
  async saveIdpConnection(meta: WriteMeta, protocol: "saml" | "oidc", settings: JsonValue): Promise<void> {
    this.claim(meta.tenantId);
    await this.queue.run(async () => {
      const context = this.context(meta);
      const row = { tenantId: meta.tenantId, protocol, settings: JSON.stringify(settings), createdAt: context.now, updatedAt: context.now };
      await this.db.batch([
        this.db.insert(idpConnections).values(row).onConflictDoUpdate({ target: idpConnections.tenantId, set: { protocol, settings: row.settings, updatedAt: context.now } }),
        auditEntry(context, "idp_connection.saved", "IdpConnection", meta.tenantId, { protocol }),
      ]);
    });
  }

  /** Deletes the tenant and everything it owns (FK cascades), after every queued write of it has been applied. */
  async deleteTenant(meta: WriteMeta): Promise<{ users: number; groups: number }> {
    this.claim(meta.tenantId);
    return this.queue.run(async () => {
      const counts = await countDirectory(this.db, meta.tenantId);
      await this.db.delete(tenants).where(and(eq(tenants.id, meta.tenantId)));
      await this.ctx.storage.deleteAll();
      // Late messages of its provisioning jobs still arrive here; they must find "unknown", not a missing table.
      ensureProvisioningTables(this.ctx.storage.sql);
      this.tokens.changed();
      this.apiKeys.changed();
      return counts;
    });
  }

  /**
   * A SCIM token issued from the console: kept for its one showing (token-reveals.ts) instead of being returned,
   * so the page that shows it is a GET after a redirect. Returns the reveal id.
   */
  async issueScimTokenForConsole(meta: WriteMeta, adminSessionId: string, graceSeconds: number): Promise<string> {
    const issued = await this.issueScimToken(meta, graceSeconds);
    return storeTokenReveal(this.ctx.storage.sql, adminSessionId, issued.token, Date.now());
  }

  /** A secret issued in this console session (SCIM token, API key, webhook secret), once (token-reveals.ts). */
  async revealSecret(tenantId: string, adminSessionId: string, revealId: string): Promise<string | null> {
    this.claim(tenantId);
    return takeTokenReveal(this.ctx.storage, adminSessionId, revealId, Date.now());
  }

  /** Who may open the console through SSO (src/admin/access.ts); validated by the caller. */
  async saveAdminAccess(meta: WriteMeta, access: AdminAccess): Promise<void> {
    this.claim(meta.tenantId);
    await this.queue.run(async () => {
      const context = this.context(meta);
      await this.db.batch([
        this.db.update(tenants).set({ adminAccess: JSON.stringify(access), updatedAt: context.now }).where(eq(tenants.id, meta.tenantId)),
        auditEntry(context, "admin_access.saved", "Tenant", meta.tenantId, { roles: access.roles, groups: access.groups }),
      ]);
    });
  }

  /** A console session for an SSO user the caller found to hold an admin role. */
  async openSsoAdminSession(meta: WriteMeta, userId: string): Promise<{ sessionSecret: string }> {
    this.claim(meta.tenantId);
    const session = await prepareAdminSession(this.db, meta.tenantId, userId, Date.now());
    await this.db.batch([session.statement, auditEntry(this.context(meta), "admin_session.started", "AdminSession", session.row.id, { via: "sso", userId })]);
    return { sessionSecret: session.secret };
  }

  /**
   * Removes the integration (src/tenant-do/integration-removal.ts): tokens revoked, IdP settings gone, sessions
   * ended and unfinished jobs cancelled at once, in the write lane, with its audit row; the directory deleted in
   * the same step when small, else by a provisioning job (`jobId`). Returns what was (or is being) removed.
   */
  async removeIntegration(meta: WriteMeta): Promise<RemovalOutcome> {
    this.claim(meta.tenantId);
    return this.thenOutboxChanged(
      this.queue.run(async () => {
        const removed = await removeIntegration(this.context(meta), this.provisioning);
        this.tokens.changed();
        dropTokenReveals(this.ctx.storage.sql);
        return removed;
      }),
    );
  }

  /**
   * Provisioning jobs (provisioning-jobs.ts). The queue consumer applies one batch; in the write lane like every
   * write, so it never interleaves with a SCIM request. Applying an applied (or cancelled, or unknown) batch again
   * changes nothing and says so.
   */
  async applyProvisioningBatch(tenantId: string, batchId: string): Promise<ApplyOutcome> {
    this.claim(tenantId);
    return this.thenOutboxChanged(this.queue.run(() => this.provisioning.applyBatch(tenantId, batchId)));
  }

  /** The dead-letter consumer: the queue gave up on this batch; it settles as failed with its last reason. */
  async failProvisioningBatch(tenantId: string, batchId: string): Promise<FailOutcome> {
    this.claim(tenantId);
    return this.queue.run(() => this.provisioning.failBatch(tenantId, batchId));
  }

  /**
   * Appends one SCIM request to this tenant's request log (request-log.ts). Called through waitUntil after the
   * SCIM answer has gone, outside the write lane: logging never waits behind, or holds up, a directory write.
   */
  async recordScimRequest(tenantId: string, entry: ScimRequestEntry): Promise<void> {
    this.claim(tenantId);
    appendScimRequest(this.ctx.storage.sql, entry);
  }

  /** A page of the SCIM request log, newest first, for the console's activity page. */
  async listScimRequests(tenantId: string, query: ScimRequestQuery): Promise<ScimRequestPage> {
    this.claim(tenantId);
    return listScimRequests(this.ctx.storage.sql, query);
  }

  /** The last SCIM request and the most recent dialect seen, for the console's overview. */
  async summariseScimRequests(tenantId: string): Promise<ScimRequestSummary> {
    this.claim(tenantId);
    return summariseScimRequests(this.ctx.storage.sql);
  }

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

  // Events to the host app (src/events/, src/tenant-do/outbox-delivery.ts). Changes reach the outbox through D1
  // triggers in their own transaction; this object only decides when the queue hears about them, leases the
  // outbox to one consumer at a time, and records what each delivery did.

  /**
   * The hook for every write path that can add outbox rows — anything that writes `audit_log` (directory changes)
   * or `sign_in_attempts`: call it once the write has committed. It sends nothing itself (no queue message per
   * SCIM write): at most it sets this object's alarm a moment ahead, and only when the tenant has a webhook.
   */
  private async outboxChanged(): Promise<void> {
    await this.outbox.changed(Date.now());
  }

  /** `write`'s result, after outboxChanged(): for write paths that return what the write lane answers. */
  private async thenOutboxChanged<T>(write: Promise<T>): Promise<T> {
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

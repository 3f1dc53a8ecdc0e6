/** The directory: SCIM authentication and writes, SCIM tokens, IdP settings, provisioning batches, the request log. */
import type { OidcConnectionSettings, OidcDiscovery } from "../oidc/connection";
import { and, eq } from "drizzle-orm";
import { idpConnections, tenants } from "../db/schema";
import type { JsonValue } from "../lib/json";
import type { ScimResult } from "../scim/errors";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "../scim/group-writes";
import { deleteUser, patchUser, replaceUser } from "../scim/user-writes";
import { auditEntry, type WriteOutcome } from "../scim/write-context";
import { countDirectory } from "../tenants/service";
import { prepareTokenIssue, revokeTokenStatement } from "../tenants/scim-tokens";
import { scimStatusError } from "../scim/errors";
import { TOKEN_REFUSALS, type TokenCheck } from "../tenants/scim-tokens";
import type { ApplyOutcome, FailOutcome } from "./provisioning-jobs";
import { ensureProvisioningTables } from "./provisioning-store";
import { appendScimRequest, listScimRequests, summariseScimRequests, type ScimRequestEntry, type ScimRequestPage, type ScimRequestQuery, type ScimRequestSummary } from "./request-log";
import { TenantObjectBase } from "./tenant-object-base";
import type { IssuedToken, ScimWriteCommand, WriteMeta } from "./types";

export abstract class DirectoryMethods extends TenantObjectBase {
  /**
   * Checks a presented SCIM token (the worker sends its SHA-256, never the token). In memory, outside the write
   * lane: reads are not held up behind writes.
   */
  async authenticate(tenantId: string, tokenHash: string): Promise<TokenCheck> {
    this.claim(tenantId);
    return this.tokens.check(tenantId, tokenHash, Date.now());
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

  /**
   * Stores a refetched OIDC discovery document (src/oidc/settings-store.ts) — only into the connection it was
   * fetched for: if an admin saved other settings meanwhile (another issuer, or SAML), the stale fetch is dropped.
   */
  async refreshOidcDiscovery(meta: WriteMeta, discovery: OidcDiscovery): Promise<void> {
    this.claim(meta.tenantId);
    await this.queue.run(async () => {
      const [row] = await this.db.select({ protocol: idpConnections.protocol, settings: idpConnections.settings }).from(idpConnections).where(eq(idpConnections.tenantId, meta.tenantId)).limit(1);
      if (!row || row.protocol !== "oidc") return;
      const settings = JSON.parse(row.settings) as OidcConnectionSettings;
      if (settings.issuer !== discovery.issuer) return;
      await this.db.update(idpConnections).set({ settings: JSON.stringify({ ...settings, discovery }) }).where(eq(idpConnections.tenantId, meta.tenantId));
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
}

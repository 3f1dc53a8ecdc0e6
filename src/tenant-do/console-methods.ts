/** The admin console: sign-in links and sessions, secrets shown once, console access, removing the integration. */
import { eq } from "drizzle-orm";
import { tenants } from "../db/schema";
import { auditEntry } from "../scim/write-context";
import { consumeAdminLink, storeAdminLink, type RedeemOutcome } from "./admin-links";
import { OPERATOR_LINK_SUBJECT, prepareAdminSession, revokeAdminSessionStatement } from "../admin/sessions";
import { sha256Hex } from "../lib/bytes";
import type { AdminAccess } from "../admin/access";
import type { RemovalOutcome } from "../admin/removal";
import { dropTokenReveals, storeTokenReveal, takeTokenReveal } from "./token-reveals";
import { newSecret } from "../lib/ids";
import { removeIntegration } from "./integration-removal";
import { SignInMethods } from "./sign-in-methods";
import type { WriteMeta } from "./types";

export abstract class ConsoleMethods extends SignInMethods {
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
}

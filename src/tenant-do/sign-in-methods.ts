/** Sign-in: AuthnRequest ids, the single-use step of an assertion, the sign-in log, just-in-time users, sign-out. */
import { consumeSamlIds, storeAuthnRequest, type SingleUseOutcome } from "./saml-state";
import { attemptStatement, type AttemptRecord } from "../saml/attempts";
import { newRequestId } from "../saml/authn-request";
import { provisionJitUser } from "../scim/user-writes";
import { revokedSessions } from "../db/schema";
import { DirectoryMethods } from "./directory-methods";
import type { WriteMeta } from "./types";

export abstract class SignInMethods extends DirectoryMethods {
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
}

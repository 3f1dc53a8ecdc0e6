/**
 * Sign-in: AuthnRequest ids, the single-use step of an assertion, OIDC state (state, nonce, PKCE verifier) and
 * groups at sign-in, the sign-in log, just-in-time users, sign-out.
 */
import { consumeSamlIds, storeAuthnRequest, type SingleUseOutcome } from "./saml-state";
import { consumeOidcState, storeOidcState, type OidcStateOutcome } from "./oidc-state";
import { syncGroupsFromClaim, type GroupSyncSummary } from "../oidc/group-sync";
import { bytesToBase64Url, randomBytes, utf8Encode } from "../lib/bytes";
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

  /**
   * Starts an OIDC sign-in: fresh `state`, `nonce` and PKCE `code_verifier` (32 random bytes each, RFC 7636 §4.1),
   * kept here for one callback. The verifier never leaves this object before that callback; the browser carries
   * only its S256 challenge (§4.2), so a stolen authorization code is useless without it.
   */
  async createOidcSignIn(meta: WriteMeta, returnTo: string | null): Promise<{ state: string; nonce: string; codeChallenge: string }> {
    this.claim(meta.tenantId);
    const [state, nonce, codeVerifier] = [0, 1, 2].map(() => bytesToBase64Url(randomBytes(32))) as [string, string, string];
    storeOidcState(this.ctx.storage.sql, state, { nonce, codeVerifier, returnTo }, Date.now());
    const codeChallenge = bytesToBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8Encode(codeVerifier))));
    return { state, nonce, codeChallenge };
  }

  /** The callback's single-use step: the state is marked used (whatever happens next) and its nonce and verifier returned. */
  async consumeOidcSignIn(meta: WriteMeta, state: string): Promise<OidcStateOutcome> {
    this.claim(meta.tenantId);
    return consumeOidcState(this.ctx.storage, state, Date.now());
  }

  /**
   * A verified OIDC sign-in: the user's groups follow the claim (null: the tenant keeps SCIM as the source, nothing
   * changes) in the write lane, then the attempt is logged with what changed.
   */
  async completeOidcSignIn(meta: WriteMeta, userId: string, claimedGroups: string[] | null, attempt: AttemptRecord): Promise<GroupSyncSummary | null> {
    this.claim(meta.tenantId);
    const summary = claimedGroups === null ? null : await this.queue.run(() => syncGroupsFromClaim(this.context(meta), userId, claimedGroups));
    const detail = summary ? { ...attempt.detail, groupsCreated: summary.created, groupsAdded: summary.added, groupsRemoved: summary.removed } : attempt.detail;
    await attemptStatement(this.db, meta.tenantId, { ...attempt, detail }, Date.now());
    await this.outboxChanged();
    return summary;
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

/**
 * A tenant's bearer secrets of one kind — SCIM tokens, host-app API keys — held in its Durable Object's memory.
 * Issue and revoke run in the same object, so the set is authoritative; it is loaded from D1 on first use and
 * after every change of the set. Checks run outside the write lane: a read never waits behind a write.
 */
import type { Database } from "../db/client";
import { checkApiKey, loadTenantApiKeys, recordApiKeyUse, type ApiKeyCheck, type ApiKeyRow } from "../tenants/api-keys";
import { checkToken, LAST_USED_RESOLUTION_MS, loadTenantTokens, recordTokenUse, type TokenCheck, type TokenRow } from "../tenants/scim-tokens";

/** What the registry needs to know about one kind of secret. */
export interface TokenKind<Row extends { id: string; lastUsedAt: number | null }, Check> {
  load(db: Database, tenantId: string): Promise<Row[]>;
  /** Pure: the verdict on a presented SHA-256 against the tenant's rows (compared in constant time). */
  check(rows: readonly Row[], presentedHash: string, now: number): Check;
  /** The id of the row an accepting verdict names; undefined for a refusal. */
  acceptedId(check: Check): string | undefined;
  recordUse(db: Database, id: string, now: number): Promise<unknown>;
}

export const SCIM_TOKENS: TokenKind<TokenRow, TokenCheck> = {
  load: loadTenantTokens,
  check: checkToken,
  acceptedId: (check) => (check.ok ? check.tokenId : undefined),
  recordUse: recordTokenUse,
};

export const API_KEYS: TokenKind<ApiKeyRow, ApiKeyCheck> = {
  load: loadTenantApiKeys,
  check: checkApiKey,
  acceptedId: (check) => (check.ok ? check.keyId : undefined),
  recordUse: recordApiKeyUse,
};

export class TokenRegistry<Row extends { id: string; lastUsedAt: number | null }, Check> {
  private rows: Row[] | undefined;
  private loading: Promise<Row[]> | undefined;
  /** Bumped on every change: a load that started before a change must not install its stale result. */
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly kind: TokenKind<Row, Check>,
  ) {}

  private async current(tenantId: string): Promise<Row[]> {
    if (this.rows) return this.rows;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.kind.load(this.db, tenantId).then((rows) => {
        if (generation === this.generation) this.rows = rows;
        this.loading = undefined;
        return rows;
      }, (error: unknown) => {
        this.loading = undefined;
        throw error;
      });
    }
    return this.loading;
  }

  async check(tenantId: string, presentedHash: string, now: number): Promise<Check> {
    const rows = await this.current(tenantId);
    const result = this.kind.check(rows, presentedHash, now);
    const acceptedId = this.kind.acceptedId(result);
    const row = acceptedId === undefined ? undefined : rows.find((candidate) => candidate.id === acceptedId);
    if (row && (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS)) {
      row.lastUsedAt = now;
      // Telemetry: not awaited by the request, and harmless if lost (the next use writes it again).
      void this.kind.recordUse(this.db, row.id, now).catch(() => undefined);
    }
    return result;
  }

  /** After issue or revoke: the next check reloads the set from D1. */
  changed(): void {
    this.generation++;
    this.rows = undefined;
    this.loading = undefined;
  }
}

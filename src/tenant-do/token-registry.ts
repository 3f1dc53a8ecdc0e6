/**
 * The tenant's SCIM tokens, held in its Durable Object's memory. Issue and revoke run in the same object, so the
 * set is authoritative; it is loaded from D1 on first use and after every change of the set.
 */
import type { Database } from "../db/client";
import { checkToken, LAST_USED_RESOLUTION_MS, loadTenantTokens, recordTokenUse, type TokenCheck, type TokenRow } from "../tenants/scim-tokens";

export class TokenRegistry {
  private rows: TokenRow[] | undefined;
  private loading: Promise<TokenRow[]> | undefined;
  /** Bumped on every change: a load that started before a change must not install its stale result. */
  private generation = 0;

  constructor(private readonly db: Database) {}

  private async current(tenantId: string): Promise<TokenRow[]> {
    if (this.rows) return this.rows;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = loadTenantTokens(this.db, tenantId).then((rows) => {
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

  async check(tenantId: string, presentedHash: string, now: number): Promise<TokenCheck> {
    const rows = await this.current(tenantId);
    const result = checkToken(rows, presentedHash, now);
    if (result.ok) {
      const row = rows.find((candidate) => candidate.id === result.tokenId)!;
      if (row.lastUsedAt === null || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
        row.lastUsedAt = now;
        // Telemetry: not awaited by the request, and harmless if lost (the next use writes it again).
        void recordTokenUse(this.db, row.id, now).catch(() => undefined);
      }
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

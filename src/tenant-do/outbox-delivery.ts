/**
 * The tenant's side of webhook delivery (src/events/deliver.ts is the consumer's side), kept in the Durable
 * Object's own synchronous storage.
 *
 * - A *nudge* is one `{tenantId, chain}` message on the events queue. At most one is in flight per tenant: the
 *   current *chain*. The queue retries it with backoff until everything pending is delivered or it lands in the
 *   dead-letter queue. Only a message naming the current chain may deliver; a duplicate, or a message of a chain
 *   that was replaced, is dropped — so one tenant never has two retry schedules running against its receiver.
 * - Writes never send messages themselves: they call changed(), which sets the alarm NUDGE_DELAY_MS ahead unless a
 *   chain is in flight (it takes every pending event, the new ones too) or an alarm is due sooner. The alarm sends
 *   the nudge, so a burst of SCIM writes costs one message, and a tenant without a webhook costs none.
 * - The *lease*, taken by the consumer delivering now and renewed with every recorded delivery, keeps two
 *   consumers from delivering one tenant at once (the queue delivers at least once: one message can run twice).
 * - A chain not heard from by its `expectedBy` (its message was lost) is presumed gone: the alarm, which doubles as
 *   the chain's watchdog, then starts a new one.
 */
import type { Database } from "../db/client";
import type { OutboxEvent } from "../events/event-body";
import { failPendingEvents, findDeliveryTarget, hasPendingEvents, markAttemptFailed, markDelivered, pendingEvents } from "../events/outbox-store";
import type { DeliveryTarget } from "../events/post-event";

/** How long a write waits for others to join its nudge. */
export const NUDGE_DELAY_MS = 500;
/** Longer than one delivery attempt (DELIVERY_TIMEOUT_MS) plus recording it; renewed at every event. */
export const LEASE_MS = 30_000;
/** Events handed out per lease; a consumer's run stays short and the next chain takes the rest. */
export const LEASE_EVENTS = 50;
/** Slack for queue latency past a chain's expected time before it is presumed lost. */
export const CHAIN_GRACE_MS = 15 * 60_000;

export interface OutboxNudge {
  tenantId: string;
  chain: string;
}

export type OutboxLease =
  | { kind: "leased"; leaseId: string; target: DeliveryTarget; events: OutboxEvent[] }
  /** Another run of this chain holds the lease: try again when it would have expired. */
  | { kind: "busy"; retryInSeconds: number }
  /** Not the current chain (a duplicate or a replaced chain), or nothing to deliver: the message is done. */
  | { kind: "superseded" }
  | { kind: "nothing" };

export type DeliveryOutcome = { ok: true } | { ok: false; error: string; retryInSeconds: number };

interface DeliveryState {
  chain?: { id: string; expectedBy: number };
  lease?: { id: string; until: number };
}

const STATE_KEY = "outbox.delivery";
const WEBHOOK_KEY = "outbox.webhook";

export class OutboxDelivery {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly db: Database,
    private readonly queue: Queue,
  ) {}

  private read(): DeliveryState {
    return this.storage.kv.get<DeliveryState>(STATE_KEY) ?? {};
  }

  private write(state: DeliveryState): void {
    this.storage.kv.put(STATE_KEY, state);
  }

  /** Known without D1: the webhook is only ever set or removed through this object (webhookChanged). */
  private hasWebhook(): boolean {
    return this.storage.kv.get<boolean>(WEBHOOK_KEY) === true;
  }

  /** A new URL or secret applies at once: any chain (perhaps backing off against the old URL) is replaced. */
  async webhookChanged(present: boolean, now: number): Promise<void> {
    this.storage.kv.put(WEBHOOK_KEY, present);
    this.write({});
    await this.changed(now);
  }

  /** After a write that may have added events. */
  async changed(now: number): Promise<void> {
    if (!this.hasWebhook()) return;
    const { chain } = this.read();
    if (chain && chain.expectedBy > now) return;
    await this.wakeBy(now + NUDGE_DELAY_MS);
  }

  /** The alarm is shared with provisioning jobs (provisioning-jobs.ts): only ever moved earlier, never later. */
  private async wakeBy(at: number): Promise<void> {
    const current = await this.storage.getAlarm();
    if (current === null || current > at) await this.storage.setAlarm(at);
  }

  /** The alarm: a nudge when events are pending and no chain is in flight; the in-flight chain's watchdog otherwise. */
  async alarm(tenantId: string, now: number): Promise<void> {
    if (!this.hasWebhook()) return;
    const { chain } = this.read();
    if (chain && chain.expectedBy > now) {
      await this.wakeBy(chain.expectedBy);
      return;
    }
    if (!(await hasPendingEvents(this.db, tenantId))) {
      this.write({});
      return;
    }
    const next = { id: crypto.randomUUID(), expectedBy: now + CHAIN_GRACE_MS };
    // Sent before it is recorded: if the send throws, the alarm is retried and no chain claims to be in flight.
    await this.queue.send({ tenantId, chain: next.id } satisfies OutboxNudge);
    this.write({ chain: next });
    await this.wakeBy(next.expectedBy);
  }

  async lease(tenantId: string, chainId: string, now: number): Promise<OutboxLease> {
    const state = this.read();
    if (!state.chain || state.chain.id !== chainId) return { kind: "superseded" };
    if (state.lease && state.lease.until > now) return { kind: "busy", retryInSeconds: Math.ceil((state.lease.until - now) / 1000) };
    // Taken before the first await, so a second run of the same message, arriving meanwhile, finds it held.
    const lease = { id: crypto.randomUUID(), until: now + LEASE_MS };
    this.write({ chain: { id: chainId, expectedBy: lease.until + CHAIN_GRACE_MS }, lease });
    const [target, events] = await Promise.all([findDeliveryTarget(this.db, tenantId), pendingEvents(this.db, tenantId, LEASE_EVENTS)]);
    if (!target) {
      // D1 is the truth: with no webhook row, nudging again would only loop. Unless a webhook was set meanwhile
      // (webhookChanged replaced this lease), stop until one is.
      if (this.read().lease?.id === lease.id) {
        this.storage.kv.put(WEBHOOK_KEY, false);
        this.write({});
      }
      return { kind: "nothing" };
    }
    if (events.length > 0) return { kind: "leased", leaseId: lease.id, target, events };
    await this.release(tenantId, lease.id, now);
    return { kind: "nothing" };
  }

  /**
   * One event's outcome, written whatever happened to the lease meanwhile (it is a fact about that event). True
   * while the caller still holds the lease and may go on; the first failure ends the lease, and the chain then
   * waits for the queue to bring its message back.
   */
  async record(tenantId: string, leaseId: string, eventId: string, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    if (outcome.ok) await markDelivered(this.db, tenantId, eventId, now);
    else await markAttemptFailed(this.db, tenantId, eventId, outcome.error);
    const state = this.read();
    if (!state.chain || state.lease?.id !== leaseId) return false;
    if (!outcome.ok) {
      this.write({ chain: { id: state.chain.id, expectedBy: now + outcome.retryInSeconds * 1000 + CHAIN_GRACE_MS } });
      return false;
    }
    this.write({ chain: { id: state.chain.id, expectedBy: now + LEASE_MS + CHAIN_GRACE_MS }, lease: { id: leaseId, until: now + LEASE_MS } });
    return true;
  }

  /** The lease holder delivered all it was given: the chain ends, and events committed meanwhile get a nudge. */
  async release(tenantId: string, leaseId: string, now: number): Promise<void> {
    if (this.read().lease?.id !== leaseId) return;
    // Ended before the check, so a write committing during it either is seen here or finds no chain and nudges.
    this.write({});
    if (this.hasWebhook() && (await hasPendingEvents(this.db, tenantId))) await this.wakeBy(now);
  }

  /**
   * The chain's message came out of the dead-letter queue: its retries are spent. Every event still pending is
   * marked failed (outbox-store.ts) so that later events are delivered again; a later chain's letter changes
   * nothing. Returns how many were marked.
   */
  async deadLetter(tenantId: string, chainId: string): Promise<number> {
    if (this.read().chain?.id !== chainId) return 0;
    this.write({});
    return failPendingEvents(this.db, tenantId);
  }
}

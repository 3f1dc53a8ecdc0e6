/**
 * The events consumer's work for one nudge (src/tenant-do/outbox-delivery.ts has the tenant's side): lease the
 * tenant's pending events, POST them one by one in commit order, record each outcome through the tenant's
 * Durable Object, and stop at the first failure — a later event never overtakes an earlier one. The caller acks
 * or retries the queue message as answered.
 */
import type { Env } from "../env";
import type { OutboxNudge } from "../tenant-do/outbox-delivery";
import { tenantWriter } from "../tenant-do/stub";
import { describeDeliveryFailure, postEvent } from "./post-event";
import { retryBaseSeconds, retryDelaySeconds } from "./retry";

export type NudgeOutcome = { kind: "done" } | { kind: "retry"; delaySeconds: number };

/** `attempt`: the queue message's attempt count (1 the first time), which sets the backoff. */
export async function deliverNudge(env: Env, nudge: OutboxNudge, attempt: number): Promise<NudgeOutcome> {
  const writer = tenantWriter(env, nudge.tenantId);
  const lease = await writer.leaseOutbox(nudge.tenantId, nudge.chain);
  if (lease.kind === "busy") return { kind: "retry", delaySeconds: lease.retryInSeconds };
  if (lease.kind !== "leased") return { kind: "done" };
  const retryInSeconds = retryDelaySeconds(attempt, retryBaseSeconds(env));
  for (const event of lease.events) {
    const result = await postEvent(lease.target, event, Date.now());
    const outcome = result.ok ? ({ ok: true } as const) : { ok: false as const, error: describeDeliveryFailure(result.failure), retryInSeconds };
    const stillHeld = await writer.recordDelivery(nudge.tenantId, lease.leaseId, event.id, outcome);
    if (!result.ok) return { kind: "retry", delaySeconds: retryInSeconds };
    // The lease was taken over (this run stalled past it): the new holder goes on from here.
    if (!stillHeld) return { kind: "done" };
  }
  await writer.releaseOutbox(nudge.tenantId, lease.leaseId);
  return { kind: "done" };
}

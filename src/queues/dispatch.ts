/**
 * The worker's queue entry: each batch goes to the handler of the queue it came from. Handlers ack or retry each
 * message themselves (an unhandled throw would retry the whole batch, redoing work already done).
 */
import type { Env } from "../env";
import { deliverEvents, failUndeliveredEvents } from "./events";
import { applyProvisioningBatches, failProvisioningBatches } from "./provisioning";

export type QueueHandler = (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>;

/** Queue name (as in wrangler.toml) → handler. */
const HANDLERS: Record<string, QueueHandler> = {
  "gatehouse-events": deliverEvents,
  "gatehouse-events-dlq": failUndeliveredEvents,
  "gatehouse-provisioning": applyProvisioningBatches,
  "gatehouse-provisioning-dlq": failProvisioningBatches,
};

export async function dispatchQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const handler = HANDLERS[batch.queue];
  if (!handler) {
    // A queue this code does not know (a renamed binding): keep the messages for a deployment that does.
    console.error(JSON.stringify({ at: "queue_unknown", queue: batch.queue, messages: batch.messages.length }));
    batch.retryAll();
    return;
  }
  await handler(batch, env, ctx);
}

/**
 * Consumers of the events queues: `gatehouse-events` carries nudges (`{tenantId, chain}`) that deliver a tenant's
 * outbox to its webhook (src/events/deliver.ts); `gatehouse-events-dlq` gets a nudge whose retries are spent, and
 * has the tenant's Durable Object mark the events it could not deliver as failed. Messages of different tenants
 * are handled side by side; each is acked or retried on its own.
 */
import type { Env } from "../env";
import { deliverNudge } from "../events/deliver";
import { retryBaseSeconds, retryDelaySeconds } from "../events/retry";
import { isPlainObject } from "../lib/json";
import type { OutboxNudge } from "../tenant-do/outbox-delivery";
import { tenantWriter } from "../tenant-do/stub";
import type { QueueHandler } from "./dispatch";

function readNudge(body: unknown): OutboxNudge | undefined {
  if (!isPlainObject(body) || typeof body.tenantId !== "string" || typeof body.chain !== "string") return undefined;
  return { tenantId: body.tenantId, chain: body.chain };
}

/**
 * Runs `handle` for every nudge of the batch at once; it acks or retries its message. A message that is not a
 * nudge can never succeed: logged and acked rather than retried into the DLQ. Our own failure (the Durable
 * Object, D1), not the receiver's, is logged and the message retried after `retryDelay` seconds.
 */
async function eachNudge(batch: MessageBatch<unknown>, retryDelay: (attempts: number) => number, handle: (nudge: OutboxNudge, message: Message<unknown>) => Promise<void>): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const nudge = readNudge(message.body);
      if (!nudge) {
        console.error(JSON.stringify({ at: "events_message_malformed", queue: batch.queue, id: message.id }));
        return message.ack();
      }
      try {
        await handle(nudge, message);
      } catch (error) {
        console.error(JSON.stringify({ at: "events_consumer_error", queue: batch.queue, tenantId: nudge.tenantId, error: error instanceof Error ? error.stack : String(error) }));
        message.retry({ delaySeconds: retryDelay(message.attempts) });
      }
    }),
  );
}

export const deliverEvents: QueueHandler = (batch, env: Env) =>
  eachNudge(
    batch,
    (attempts) => retryDelaySeconds(attempts, retryBaseSeconds(env)),
    async (nudge, message) => {
      const outcome = await deliverNudge(env, nudge, message.attempts);
      if (outcome.kind === "retry") message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    },
  );

export const failUndeliveredEvents: QueueHandler = (batch, env: Env) =>
  eachNudge(
    batch,
    () => 0,
    async (nudge, message) => {
      const failed = await tenantWriter(env, nudge.tenantId).deadLetterOutbox(nudge.tenantId, nudge.chain);
      console.warn(JSON.stringify({ at: "events_dead_lettered", tenantId: nudge.tenantId, failed }));
      message.ack();
    },
  );

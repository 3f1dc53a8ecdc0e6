/**
 * Consumers of the provisioning queues (issue 5 §1). `gatehouse-provisioning` carries one batch id per message;
 * the tenant's Durable Object applies it (src/tenant-do/provisioning-jobs.ts), and an already applied, cancelled
 * or unknown batch (a redelivery, a deleted group or tenant) is simply acked. A failed attempt — the batch's D1
 * transaction rolled back, or the object out of reach — is retried with backoff; after wrangler.toml's max_retries the message goes
 * to `gatehouse-provisioning-dlq`, whose consumer has the object settle the batch as failed, with its reason.
 * Each message is acked or retried on its own, so one poison batch never holds up its neighbours.
 */
import type { Env } from "../env";
import { retryDelaySeconds } from "../events/retry";
import { parseProvisioningMessage, type ProvisioningMessage } from "../provisioning/batches";
import { tenantWriter } from "../tenant-do/stub";
import type { QueueHandler } from "./dispatch";

/** Seconds before the first retry of a failed batch, doubling after (10, 20, 40 with max_retries = 3). */
const DEFAULT_PROVISIONING_RETRY_SECONDS = 10;

function retryBase(env: Env): number {
  const value = Number(env.PROVISIONING_RETRY_DELAY_SECONDS ?? DEFAULT_PROVISIONING_RETRY_SECONDS);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_PROVISIONING_RETRY_SECONDS;
}

/** Each message on its own: parsed (a malformed one is logged and acked: it can never succeed), then handled. */
function eachMessage(queue: string, handle: (message: Message<unknown>, parsed: ProvisioningMessage) => Promise<void>) {
  return (batch: MessageBatch<unknown>) =>
    Promise.all(
      batch.messages.map(async (message) => {
        const parsed = parseProvisioningMessage(message.body);
        if (!parsed) {
          console.error(JSON.stringify({ at: "provisioning_message_malformed", queue, id: message.id }));
          return message.ack();
        }
        await handle(message, parsed);
      }),
    );
}

export const applyProvisioningBatches: QueueHandler = async (batch, env) => {
  await eachMessage(batch.queue, async (message, { tenantId, batchId }) => {
    const retry = () => message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBase(env)) });
    try {
      const outcome = await tenantWriter(env, tenantId).applyProvisioningBatch(tenantId, batchId);
      if (outcome === "failed") retry();
      else message.ack();
    } catch (error) {
      // The Durable Object could not be reached (or crashed): nothing was recorded there, and nothing applied.
      console.error(JSON.stringify({ at: "provisioning_batch_error", tenantId, batchId, attempt: message.attempts, error: error instanceof Error ? error.message : String(error) }));
      retry();
    }
  })(batch);
};

export const failProvisioningBatches: QueueHandler = async (batch, env) => {
  await eachMessage(batch.queue, async (message, { tenantId, batchId }) => {
    try {
      const outcome = await tenantWriter(env, tenantId).failProvisioningBatch(tenantId, batchId);
      console.warn(JSON.stringify({ at: "provisioning_batch_dead_lettered", tenantId, batchId, outcome }));
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ at: "provisioning_dead_letter_error", tenantId, batchId, error: error instanceof Error ? error.message : String(error) }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBase(env)) });
    }
  })(batch);
};

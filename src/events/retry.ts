/**
 * When a failed delivery is tried again: 2, 4, 8, … seconds after each failed attempt (the queue message's
 * attempt count), at most an hour. With production's max_retries = 10 that is about 34 minutes of retries before
 * the message goes to the dead-letter queue and its events are marked failed; raise max_retries for a longer
 * window. `WEBHOOK_RETRY_BASE_SECONDS` replaces the 2 (the tests set 0, so retries run at once).
 */
import type { Env } from "../env";

export const DEFAULT_RETRY_BASE_SECONDS = 2;
export const MAX_RETRY_DELAY_SECONDS = 3600;

export function retryBaseSeconds(env: Pick<Env, "WEBHOOK_RETRY_BASE_SECONDS">): number {
  const value = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? DEFAULT_RETRY_BASE_SECONDS);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_RETRY_BASE_SECONDS;
}

/** `attempt` counts from 1 (the first delivery); the answer is the wait before attempt + 1. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(baseSeconds * 2 ** exponent));
}

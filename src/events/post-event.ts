/**
 * One delivery: the event's body, signed, POSTed to the tenant's webhook. 2xx is delivered; anything else — a
 * redirect included — is a failure that stops the tenant's deliveries until it is retried.
 *
 * - Redirects are never followed (`redirect: "manual"`): a receiver that answers 3xx could otherwise send the
 *   signed body on to any host it names, one we never validated (webhook-url.ts).
 * - Each attempt gives up after DELIVERY_TIMEOUT_MS, so a receiver that accepts the connection and never answers
 *   cannot hold the tenant's deliveries (or the consumer) indefinitely.
 * - What is recorded about a failure is our own short text (status code, timeout): never the URL (its query may
 *   carry the host app's own token), never the receiver's body, never the secret.
 */
import { renderEventBody, type OutboxEvent } from "./event-body";
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhookBody } from "./signature";

export const DELIVERY_TIMEOUT_MS = 10_000;
const USER_AGENT = "Gatehouse-Webhooks/1";

/** Where a tenant's events go (read by its Durable Object when it leases the outbox). */
export interface DeliveryTarget {
  url: string;
  secret: string;
  tenantSlug: string;
}

export type DeliveryFailure = { reason: "http_status"; status: number } | { reason: "redirect"; status: number } | { reason: "timeout" } | { reason: "network" };

export type DeliveryResult = { ok: true; status: number } | { ok: false; failure: DeliveryFailure };

/** The text kept as the event's `lastError` (shown to the operator and the tenant admin). */
export function describeDeliveryFailure(failure: DeliveryFailure): string {
  switch (failure.reason) {
    case "http_status":
      return `the receiver answered HTTP ${failure.status}`;
    case "redirect":
      return `the receiver answered a redirect (HTTP ${failure.status}); redirects are not followed`;
    case "timeout":
      return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
    case "network":
      return "could not connect to the receiver";
  }
}

export async function postEvent(target: DeliveryTarget, event: OutboxEvent, now: number): Promise<DeliveryResult> {
  const body = JSON.stringify(renderEventBody(event, target.tenantSlug));
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": USER_AGENT,
    [SIGNATURE_HEADER]: await signWebhookBody(target.secret, body, now),
    [EVENT_ID_HEADER]: event.id,
    [EVENT_TYPE_HEADER]: event.type,
  };
  let response: Response;
  try {
    response = await fetch(target.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    return { ok: false, failure: name === "TimeoutError" || name === "AbortError" ? { reason: "timeout" } : { reason: "network" } };
  }
  // The receiver's body is never read: release the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  if (response.status >= 300 && response.status < 400) return { ok: false, failure: { reason: "redirect", status: response.status } };
  return { ok: false, failure: { reason: "http_status", status: response.status } };
}

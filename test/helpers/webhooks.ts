/**
 * Webhook helpers for workerd tests: a receiver of our own on the Node test receiver (test/support/webhook-receiver.ts),
 * a tenant's webhook pointed at it, what arrived, the outbox as D1 holds it, and bounded polling (a delivery that
 * never comes fails the test after a deadline; it never hangs it, and nothing waits a fixed time).
 */
import { env } from "cloudflare:test";
import { inject } from "vitest";
import "../provided-context";
import type { ReceivedDelivery } from "../support/webhook-types";
import { operator, type TestTenant } from "./tenant";

export interface ReceiverBehaviour {
  failFirst?: number;
  always?: "error" | "redirect";
}

export interface TestReceiver {
  name: string;
  url: string;
}

let counter = 0;

async function configure(name: string, options: ReceiverBehaviour & { secret?: string }): Promise<void> {
  const response = await fetch(`${inject("webhookReceiverUrl")}/receivers/${name}`, { method: "PUT", body: JSON.stringify(options) });
  if (!response.ok) throw new Error(`receiver set-up failed: ${response.status}`);
}

/** A fresh receiver, and the tenant's webhook set to it with a new secret the receiver checks signatures with. */
export async function connectReceiver(tenant: TestTenant, behaviour: ReceiverBehaviour = {}): Promise<TestReceiver & { secret: string }> {
  counter += 1;
  const name = `${tenant.slug}-${counter}`;
  const url = `${inject("webhookReceiverUrl")}/hooks/${name}`;
  // Set up before the webhook exists, so no delivery can reach a receiver that does not know its secret yet;
  // the tenant has no events yet either (creating it and its SCIM token write none).
  await configure(name, behaviour);
  const set = await operator("PUT", `/tenants/${tenant.slug}/webhook`, { url });
  if (set.status !== 200) throw new Error(`webhook set failed: ${set.status} ${JSON.stringify(set.body)}`);
  await configure(name, { ...behaviour, secret: set.body.secret });
  return { name, url, secret: set.body.secret };
}

export async function changeBehaviour(receiver: TestReceiver & { secret: string }, behaviour: ReceiverBehaviour): Promise<void> {
  await configure(receiver.name, { ...behaviour, secret: receiver.secret });
}

/** `deliveries`: the requests it answered 200, in arrival order; `attempts`: every request, failures too. */
export async function receivedBy(name: string): Promise<{ deliveries: ReceivedDelivery[]; attempts: number }> {
  const response = await fetch(`${inject("webhookReceiverUrl")}/receivers/${name}`);
  return (await response.json()) as { deliveries: ReceivedDelivery[]; attempts: number };
}

export interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  deliveryStatus: string;
  attempts: number;
  lastError: string | null;
}

export async function outboxOf(tenant: TestTenant): Promise<OutboxRow[]> {
  const rows = await env.DB.prepare("SELECT seq, id, type, delivery_status AS deliveryStatus, attempts, last_error AS lastError FROM events WHERE tenant_id = ? ORDER BY seq")
    .bind(tenant.id)
    .all<OutboxRow>();
  return rows.results;
}

const DEADLINE_MS = 20_000;
const POLL_INTERVAL_MS = 50;

/** Reads until `done` holds, or fails with the last value read once the deadline has passed. */
export async function waitUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * The outbox rows (`events`, filled by triggers: migrations/0005_outbox_triggers.sql) as delivery reads and marks
 * them. Every query takes the tenant first. Writes run in the tenant's Durable Object only (the lease holder
 * records what happened); the operator API reads directly.
 */
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { events, tenants, webhooks } from "../db/schema";
import type { OutboxEvent } from "./event-body";
import type { DeliveryTarget } from "./post-event";

export type DeliveryStatus = "pending" | "delivered" | "failed";

const deliveryColumns = {
  seq: events.seq,
  id: events.id,
  type: events.type,
  resourceType: events.resourceType,
  resourceId: events.resourceId,
  data: events.data,
  occurredAt: events.occurredAt,
};

export async function findDeliveryTarget(db: Database, tenantId: string): Promise<DeliveryTarget | undefined> {
  const [row] = await db
    .select({ url: webhooks.url, secret: webhooks.secret, tenantSlug: tenants.slug })
    .from(webhooks)
    .innerJoin(tenants, eq(tenants.id, webhooks.tenantId))
    .where(eq(webhooks.tenantId, tenantId))
    .limit(1);
  return row;
}

/** The oldest pending events, in commit order: delivery takes them from the front and stops at a failure. */
export async function pendingEvents(db: Database, tenantId: string, limit: number): Promise<OutboxEvent[]> {
  return db.select(deliveryColumns).from(events).where(and(eq(events.tenantId, tenantId), eq(events.deliveryStatus, "pending"))).orderBy(asc(events.seq)).limit(limit);
}

export async function hasPendingEvents(db: Database, tenantId: string): Promise<boolean> {
  const rows = await db.select({ seq: events.seq }).from(events).where(and(eq(events.tenantId, tenantId), eq(events.deliveryStatus, "pending"))).limit(1);
  return rows.length > 0;
}

export async function markDelivered(db: Database, tenantId: string, eventId: string, now: number): Promise<void> {
  await db
    .update(events)
    .set({ deliveryStatus: "delivered", attempts: sql`${events.attempts} + 1`, lastError: null, deliveredAt: now })
    .where(and(eq(events.tenantId, tenantId), eq(events.id, eventId)));
}

/** Counts the attempt; the event stays pending (or failed) — never un-delivers one a later attempt delivered. */
export async function markAttemptFailed(db: Database, tenantId: string, eventId: string, error: string): Promise<void> {
  await db
    .update(events)
    .set({ attempts: sql`${events.attempts} + 1`, lastError: error })
    .where(and(eq(events.tenantId, tenantId), eq(events.id, eventId), ne(events.deliveryStatus, "delivered")));
}

/**
 * After the last retry (the dead-letter queue): every event still pending is marked failed — the first with the
 * receiver's own error, those behind it with what stopped them — so later events are not held up forever and
 * the operator sees exactly which ones to redeliver. Returns how many were marked.
 */
export async function failPendingEvents(db: Database, tenantId: string): Promise<number> {
  const [head] = await db
    .select({ id: events.id, lastError: events.lastError })
    .from(events)
    .where(and(eq(events.tenantId, tenantId), eq(events.deliveryStatus, "pending")))
    .orderBy(asc(events.seq))
    .limit(1);
  if (!head) return 0;
  const blocked = `not sent: delivery stopped at ${head.id}, which failed (${head.lastError ?? "no answer"})`;
  const result = await db
    .update(events)
    .set({ deliveryStatus: "failed", lastError: sql`COALESCE(${events.lastError}, ${blocked})` })
    .where(and(eq(events.tenantId, tenantId), eq(events.deliveryStatus, "pending")));
  return result.meta.changes;
}

/** An explicit redeliver: the event is pending again and goes out at the front of the tenant's queue. */
export async function requeueEvent(db: Database, tenantId: string, eventId: string): Promise<boolean> {
  const result = await db
    .update(events)
    .set({ deliveryStatus: "pending", lastError: null, deliveredAt: null })
    .where(and(eq(events.tenantId, tenantId), eq(events.id, eventId)));
  return result.meta.changes > 0;
}

export interface EventView {
  seq: number;
  id: string;
  type: string;
  occurredAt: string;
  resource: { type: string; id: string | null };
  deliveryStatus: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Newest first, optionally one delivery status only, for the operator (`gatehouse events <tenant>`). */
export async function listEvents(db: Database, tenantId: string, options: { status?: DeliveryStatus; limit: number }): Promise<EventView[]> {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), options.status ? eq(events.deliveryStatus, options.status) : undefined))
    .orderBy(desc(events.seq))
    .limit(options.limit);
  return rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    type: row.type,
    occurredAt: new Date(row.occurredAt).toISOString(),
    resource: { type: row.resourceType, id: row.resourceId },
    deliveryStatus: row.deliveryStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    deliveredAt: iso(row.deliveredAt),
  }));
}

export interface DeliverySummary {
  pending: number;
  delivered: number;
  failed: number;
  lastDeliveredAt: string | null;
  /** The newest failed event's reason, if any failed. */
  lastFailure: { eventId: string; error: string | null } | null;
}

/** Counts by status (the tenant-status index covers them), the newest delivery and the newest failure. */
export async function summariseDeliveries(db: Database, tenantId: string): Promise<DeliverySummary> {
  const newest = (status: DeliveryStatus) =>
    db
      .select({ eventId: events.id, error: events.lastError, deliveredAt: events.deliveredAt })
      .from(events)
      .where(and(eq(events.tenantId, tenantId), eq(events.deliveryStatus, status)))
      .orderBy(desc(events.seq))
      .limit(1);
  const [counts, [delivered], [failure]] = await Promise.all([
    db.select({ status: events.deliveryStatus, count: sql<number>`COUNT(*)` }).from(events).where(eq(events.tenantId, tenantId)).groupBy(events.deliveryStatus),
    newest("delivered"),
    newest("failed"),
  ]);
  const count = (status: DeliveryStatus) => counts.find((row) => row.status === status)?.count ?? 0;
  return {
    pending: count("pending"),
    delivered: count("delivered"),
    failed: count("failed"),
    lastDeliveredAt: iso(delivered?.deliveredAt ?? null),
    lastFailure: failure ? { eventId: failure.eventId, error: failure.error } : null,
  };
}

/**
 * What the host app receives for one outbox row: the webhook body, and the shape the directory API's
 * `/api/directory/events` can serve as well, so both ways of reading the outbox say the same thing.
 */
import { parseJson, type JsonObject, type JsonValue } from "../lib/json";

/** Every type the outbox holds (the triggers in migrations/0005_outbox_triggers.sql write exactly these). */
export const EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.members_added",
  "group.members_removed",
  "sso.succeeded",
  "sso.failed",
] as const;

/** An outbox row as delivery needs it (src/db/schema.ts, `events`). */
export interface OutboxEvent {
  seq: number;
  id: string;
  type: string;
  resourceType: string;
  resourceId: string | null;
  /** JSON text: the audit detail of the change (never a secret). */
  data: string;
  occurredAt: number;
}

/** `{id, type, occurredAt, tenant, resource: {type, id}, data}`; `tenant` is the tenant's slug (its subdomain). */
export function renderEventBody(event: OutboxEvent, tenantSlug: string): JsonObject {
  const data: JsonValue = parseJson(event.data) ?? {};
  return {
    id: event.id,
    type: event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    tenant: tenantSlug,
    resource: { type: event.resourceType, id: event.resourceId },
    data,
  };
}

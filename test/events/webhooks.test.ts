/**
 * Events to the host app through the real worker, real Queues and a real receiver (test/support/webhook-receiver.ts,
 * which checks every signature with node:crypto): the twelve event types from real SCIM and SAML flows, signed and
 * in commit order; retries that deliver each event exactly once; the dead-letter queue; redeliver; redirects;
 * no webhook, no sending; one tenant's events never at another's URL.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/events/event-body";
import { OKTA_ISSUER, samlSignIn } from "../helpers/saml";
import { changeBehaviour, connectReceiver, outboxOf, receivedBy, waitUntil, type OutboxRow, type TestReceiver } from "../helpers/webhooks";
import { createTestTenant, oktaUser, operator, patchBody, scim, type TestTenant } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

/** Local max_retries (wrangler.toml, gatehouse-events) is 8: the first delivery and eight retries. */
const ATTEMPTS_BEFORE_DLQ = 9;
/** Nine rounds through the queue (retries at once: WEBHOOK_RETRY_BASE_SECONDS = 0) take seconds on 2 cores. */
const DELIVERY_TEST_TIMEOUT_MS = 30_000;

async function createUser(tenant: TestTenant, userName: string): Promise<string> {
  const created = await scim(tenant, "POST", "/Users", oktaUser(userName));
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function deliveredAll(receiver: TestReceiver, tenant: TestTenant, count?: number) {
  return waitUntil(
    `${count ?? "all"} deliveries to ${receiver.name}`,
    async () => ({ received: await receivedBy(receiver.name), outbox: await outboxOf(tenant) }),
    ({ received, outbox }) => outbox.length > 0 && (count === undefined || outbox.length === count) && outbox.every((row) => row.deliveryStatus === "delivered") && received.deliveries.length >= outbox.length,
  );
}

function idsOf(rows: OutboxRow[]): string[] {
  return rows.map((row) => row.id);
}

describe("webhook deliveries", { timeout: DELIVERY_TEST_TIMEOUT_MS }, () => {
  it("sends every kind of change, from real SCIM and SAML flows, signed and in commit order", async () => {
    const tenant = await createTestTenant("wh-all");
    const saml = await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: "https://acme.okta.test/app/gh/exk1/sso/saml", issuer: OKTA_ISSUER, certificates: [rsaPem] });
    expect(saml.status).toBe(200);
    const receiver = await connectReceiver(tenant);

    const alice = await createUser(tenant, "alice@acme.test");
    const bob = await createUser(tenant, "bob@acme.test");
    const group = await scim(tenant, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Engineering" });
    expect(group.status).toBe(201);
    const groupId = group.body.id as string;
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, patchBody({ op: "add", path: "members", value: [{ value: alice }, { value: bob }] }))).status).toBe(204);
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, patchBody({ op: "remove", path: `members[value eq "${bob}"]` }))).status).toBe(204);
    expect((await scim(tenant, "PATCH", `/Groups/${groupId}`, patchBody({ op: "replace", value: { displayName: "Engineers" } }))).status).toBe(204);
    expect((await scim(tenant, "PATCH", `/Users/${alice}`, patchBody({ op: "replace", value: { active: false } }))).status).toBe(200);
    expect((await scim(tenant, "PATCH", `/Users/${alice}`, patchBody({ op: "replace", value: { active: true } }))).status).toBe(200);
    expect((await scim(tenant, "PATCH", `/Users/${bob}`, patchBody({ op: "replace", path: "displayName", value: "Robert" }))).status).toBe(200);
    expect((await samlSignIn(tenant, "bob@acme.test")).status).toBe(303);
    expect((await samlSignIn(tenant, "nobody@acme.test")).status).toBe(403);
    expect((await scim(tenant, "DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect((await scim(tenant, "DELETE", `/Users/${bob}`)).status).toBe(204);

    const { received, outbox } = await deliveredAll(receiver, tenant, 13);
    expect(new Set(outbox.map((row) => row.type))).toEqual(new Set(EVENT_TYPES));
    expect(received.deliveries.map((delivery) => delivery.eventId)).toEqual(idsOf(outbox));
    for (const [index, delivery] of received.deliveries.entries()) {
      expect(delivery.signatureValid).toBe(true);
      expect(delivery.eventType).toBe(outbox[index]!.type);
      expect(delivery.body).toMatchObject({ id: delivery.eventId, type: delivery.eventType, tenant: tenant.slug, resource: { type: expect.any(String) } });
      expect(Date.parse((delivery.body as { occurredAt: string }).occurredAt)).not.toBeNaN();
    }
    const bodies = received.deliveries.map((delivery) => delivery.body as { type: string; resource: { type: string; id: string | null }; data: Record<string, unknown> });
    expect(bodies.find((body) => body.type === "group.members_added")).toMatchObject({ resource: { type: "Group", id: groupId }, data: { count: 2, members: [alice, bob] } });
    expect(bodies.find((body) => body.type === "sso.succeeded")).toMatchObject({ resource: { type: "User", id: bob }, data: { protocol: "saml", nameId: "bob@acme.test" } });
    expect(bodies.find((body) => body.type === "sso.failed")).toMatchObject({ resource: { type: "User", id: null }, data: { reason: "unknown_user" } });
    expect(outbox.every((row) => row.attempts === 1)).toBe(true);
  });

  it("a receiver that fails twice then recovers gets every event exactly once, in order", async () => {
    const tenant = await createTestTenant("wh-flaky");
    const receiver = await connectReceiver(tenant, { failFirst: 2 });
    for (const name of ["a", "b", "c"]) await createUser(tenant, `${name}@acme.test`);

    const { received, outbox } = await deliveredAll(receiver, tenant, 3);
    expect(received.deliveries.map((delivery) => delivery.eventId)).toEqual(idsOf(outbox));
    expect(received.attempts).toBe(5);
    // The first event took the two failures (and stayed first); the others went out once, after it.
    expect(outbox.map((row) => row.attempts)).toEqual([3, 1, 1]);
    expect(outbox.every((row) => row.lastError === null)).toBe(true);
  });

  it("a receiver that always fails ends in the dead-letter queue, its events marked failed with the reason", async () => {
    const tenant = await createTestTenant("wh-dead");
    const receiver = await connectReceiver(tenant, { always: "error" });
    await createUser(tenant, "first@acme.test");
    await createUser(tenant, "second@acme.test");

    const outbox = await waitUntil("events marked failed", () => outboxOf(tenant), (rows) => rows.length === 2 && rows.every((row) => row.deliveryStatus === "failed"));
    expect(outbox[0]).toMatchObject({ attempts: ATTEMPTS_BEFORE_DLQ, lastError: "the receiver answered HTTP 500" });
    // Order kept to the end: the second was never sent past the first.
    expect(outbox[1]).toMatchObject({ attempts: 0, lastError: `not sent: delivery stopped at ${outbox[0]!.id}, which failed (the receiver answered HTTP 500)` });
    expect((await receivedBy(receiver.name)).attempts).toBe(ATTEMPTS_BEFORE_DLQ);
    const failed = await operator("GET", `/tenants/${tenant.slug}/events?status=failed`);
    expect(failed.body.events.map((event: { id: string }) => event.id)).toEqual(idsOf(outbox).reverse());

    // The receiver is back: later events flow again, and a redeliver sends a failed one.
    await changeBehaviour(receiver, {});
    const third = await createUser(tenant, "third@acme.test");
    const redeliver = await operator("POST", `/tenants/${tenant.slug}/events/${outbox[0]!.id}/redeliver`);
    expect(redeliver.status).toBe(200);
    const after = await waitUntil(
      "the new and the redelivered event",
      async () => (await receivedBy(receiver.name)).deliveries,
      (deliveries) => deliveries.length === 2,
    );
    expect(after.map((delivery) => delivery.eventId).sort()).toEqual([outbox[0]!.id, (await outboxOf(tenant)).find((row) => row.type === "user.created" && !idsOf(outbox).includes(row.id))!.id].sort());
    expect(after.every((delivery) => delivery.signatureValid)).toBe(true);
    expect((after.find((delivery) => delivery.eventId !== outbox[0]!.id)!.body as { resource: { id: string } }).resource.id).toBe(third);
  });

  it("redeliver sends a delivered event once more, and nothing else again", async () => {
    const tenant = await createTestTenant("wh-again");
    const receiver = await connectReceiver(tenant);
    await createUser(tenant, "one@acme.test");
    await createUser(tenant, "two@acme.test");
    const { outbox } = await deliveredAll(receiver, tenant, 2);

    const redeliver = await operator("POST", `/tenants/${tenant.slug}/events/${outbox[0]!.id}/redeliver`);
    expect(redeliver.body).toEqual({ redelivering: true, id: outbox[0]!.id });
    const { deliveries, rows } = await waitUntil(
      "the redelivery, recorded",
      async () => ({ deliveries: (await receivedBy(receiver.name)).deliveries, rows: await outboxOf(tenant) }),
      (seen) => seen.deliveries.length === 3 && seen.rows[0]!.deliveryStatus === "delivered",
    );
    expect(deliveries.map((delivery) => delivery.eventId)).toEqual([outbox[0]!.id, outbox[1]!.id, outbox[0]!.id]);
    expect(rows.map((row) => [row.deliveryStatus, row.attempts])).toEqual([
      ["delivered", 2],
      ["delivered", 1],
    ]);
    expect((await operator("POST", `/tenants/${tenant.slug}/events/aud_unknown/redeliver`)).status).toBe(404);
  });

  it("a redirect is a failure and is never followed", async () => {
    const tenant = await createTestTenant("wh-redirect");
    const receiver = await connectReceiver(tenant, { always: "redirect" });
    await createUser(tenant, "moved@acme.test");

    const [event] = await waitUntil("a failed attempt", () => outboxOf(tenant), (rows) => rows.length === 1 && rows[0]!.attempts >= 1);
    expect(event!.deliveryStatus).not.toBe("delivered");
    expect(event!.lastError).toBe("the receiver answered a redirect (HTTP 302); redirects are not followed");
    // A followed redirect would have reached the Location within the same attempt.
    expect((await receivedBy(`${receiver.name}-redirected`)).attempts).toBe(0);
    await waitUntil("the dead-letter queue", () => outboxOf(tenant), (rows) => rows[0]!.deliveryStatus === "failed");
  });

  it("without a webhook nothing is scheduled or sent; the events wait in the outbox", async () => {
    const tenant = await createTestTenant("wh-none");
    await createUser(tenant, "quiet@acme.test");
    const outbox = await outboxOf(tenant);
    expect(outbox).toEqual([expect.objectContaining({ type: "user.created", deliveryStatus: "pending", attempts: 0 })]);
    // No alarm, so no nudge can ever be sent for this write.
    const stub = env.TENANT_DO.get(env.TENANT_DO.idFromName(tenant.id));
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).body.code).toBe("webhook_not_configured");
  });

  it("one tenant's events never reach another tenant's webhook", async () => {
    const [first, second] = await Promise.all([createTestTenant("wh-iso-a"), createTestTenant("wh-iso-b")]);
    const [firstReceiver, secondReceiver] = await Promise.all([connectReceiver(first), connectReceiver(second)]);
    await Promise.all([createUser(first, "same@acme.test"), createUser(second, "same@acme.test")]);
    await Promise.all([createUser(first, "only-a@acme.test"), createUser(second, "only-b@acme.test")]);

    const [a, b] = await Promise.all([deliveredAll(firstReceiver, first, 2), deliveredAll(secondReceiver, second, 2)]);
    expect(a.received.deliveries.map((delivery) => delivery.eventId)).toEqual(idsOf(a.outbox));
    expect(b.received.deliveries.map((delivery) => delivery.eventId)).toEqual(idsOf(b.outbox));
    expect(a.received.deliveries.every((delivery) => (delivery.body as { tenant: string }).tenant === first.slug && delivery.signatureValid)).toBe(true);
    expect(b.received.deliveries.every((delivery) => (delivery.body as { tenant: string }).tenant === second.slug && delivery.signatureValid)).toBe(true);
  });
});

describe("webhook settings (operator API)", () => {
  it("sets, shows (never the secret) and removes a webhook; refuses URLs that are not https", async () => {
    const tenant = await createTestTenant("wh-settings", { scimToken: false });
    const set = await operator("PUT", `/tenants/${tenant.slug}/webhook`, { url: "https://app.example.com/hooks/gatehouse?tenant=acme" });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ url: "https://app.example.com/hooks/gatehouse?tenant=acme", secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/) });
    const shown = await operator("GET", `/tenants/${tenant.slug}/webhook`);
    expect(shown.body).toMatchObject({ url: set.body.url, secretHint: `whsec_…${set.body.secret.slice(-4)}`, deliveries: { pending: 0, delivered: 0, failed: 0 } });
    expect(JSON.stringify(shown.body)).not.toContain(set.body.secret);
    const again = await operator("PUT", `/tenants/${tenant.slug}/webhook`, { url: "https://app.example.com/hooks/v2" });
    expect(again.body.secret).not.toBe(set.body.secret);
    expect(again.body.createdAt).toBe(set.body.createdAt);

    for (const url of ["http://app.example.com/hook", "https://user:pw@app.example.com/hook", "https://10.0.0.8/hook", "ftp://app.example.com/", "https://intranet/hook"]) {
      const refused = await operator("PUT", `/tenants/${tenant.slug}/webhook`, { url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.code).toBe("invalid_webhook_url");
    }
    expect((await operator("GET", `/tenants/${tenant.slug}/webhook`)).body.url).toBe("https://app.example.com/hooks/v2");

    const audit = await env.DB.prepare("SELECT action, detail FROM audit_log WHERE tenant_id = ? AND action LIKE 'webhook.%'").bind(tenant.id).all<{ action: string; detail: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["webhook.set", "webhook.set"]);
    expect(audit.results[0]!.detail).not.toContain("tenant=acme");

    expect((await operator("DELETE", `/tenants/${tenant.slug}/webhook`)).body).toEqual({ removed: true });
    expect((await operator("DELETE", `/tenants/${tenant.slug}/webhook`)).status).toBe(404);
    expect((await operator("GET", `/tenants/${tenant.slug}/events?status=lost`)).status).toBe(400);
  });
});

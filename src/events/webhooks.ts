/**
 * A tenant's webhook: the URL its events go to and the secret that signs them. The secret is kept in the clear
 * because signing needs it; it is shown once when set (a new one on every set) and only its last four characters
 * afterwards. Writes run in the tenant's Durable Object; reads go straight to D1.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { webhooks } from "../db/schema";
import { newSecret } from "../lib/ids";

export const WEBHOOK_SECRET_PREFIX = "whsec_";

export interface WebhookView {
  url: string;
  /** `whsec_…abcd`: enough to tell which secret the host app holds, nothing to sign with. */
  secretHint: string;
  createdAt: string;
  updatedAt: string;
}

/** What setting a webhook answers, once: the only time the secret leaves Gatehouse. */
export interface WebhookSet extends WebhookView {
  secret: string;
}

type WebhookRow = typeof webhooks.$inferSelect;

function viewOf(row: WebhookRow): WebhookView {
  return { url: row.url, secretHint: `${WEBHOOK_SECRET_PREFIX}…${row.secret.slice(-4)}`, createdAt: new Date(row.createdAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}

export async function findWebhook(db: Database, tenantId: string): Promise<WebhookView | undefined> {
  const [row] = await db.select().from(webhooks).where(eq(webhooks.tenantId, tenantId)).limit(1);
  return row ? viewOf(row) : undefined;
}

/** The statement that writes it, returning the row: a new secret each time; the first creation time is kept. */
export function prepareWebhookSet(db: Database, tenantId: string, url: string, now: number) {
  const secret = newSecret(WEBHOOK_SECRET_PREFIX);
  return db
    .insert(webhooks)
    .values({ tenantId, url, secret, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: webhooks.tenantId, set: { url, secret, updatedAt: now } })
    .returning();
}

export function webhookSetResult(row: WebhookRow): WebhookSet {
  return { ...viewOf(row), secret: row.secret };
}

export function deleteWebhookStatement(db: Database, tenantId: string) {
  return db.delete(webhooks).where(eq(webhooks.tenantId, tenantId)).returning({ tenantId: webhooks.tenantId });
}

/**
 * Worker entry: fetch (the Hono app) and the Durable Object class. Nothing else lives here.
 */
import { createApp } from "./app";
import type { Env } from "./env";

export { TenantDurableObject } from "./tenant-do/tenant-do";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;

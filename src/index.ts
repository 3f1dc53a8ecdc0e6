/**
 * Worker entry: fetch (the Hono app), queue (src/queues/dispatch.ts) and the Durable Object class. Nothing else
 * lives here.
 */
// First, before anything can load @peculiar/x509: its dependency tsyringe needs the Reflect metadata polyfill at
// import time, and workerd refuses to start the worker without it (shared/TOOLCHAIN.md, trap 3).
import "reflect-metadata";
import { createApp } from "./app";
import type { Env } from "./env";
import { dispatchQueue } from "./queues/dispatch";

export { TenantDurableObject } from "./tenant-do/tenant-do";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: dispatchQueue,
} satisfies ExportedHandler<Env>;

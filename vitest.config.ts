import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

import { generateSigningJwk } from "./scripts/lib/signing-key.ts";

const migrations = await readD1Migrations("./migrations");
// A fresh session signing key per run, as `npm start` writes one into .dev.vars.
const sessionSigningKey = JSON.stringify(await generateSigningJwk());
// The consumers exactly as wrangler.toml declares them (max_retries, dead_letter_queue), in Miniflare's shape.
const wranglerQueueConsumers = unstable_getMiniflareWorkerOptions("./wrangler.toml").workerOptions.queueConsumers ?? {};

export default defineConfig({
  test: {
    // The JSON report gives .ci/run a plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      {
        // The worker's tests run inside workerd against real D1, Durable Objects, Queues and rate limiters,
        // configured from wrangler.toml; migrations/ are applied in test/setup.ts.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Failed webhook deliveries are retried at once instead of after 2, 4, 8… s (src/events/retry.ts).
              // So are failed provisioning batches (src/queues/provisioning.ts). GATEHOUSE_TEST_FAULTS turns on the
              // test-only fault hooks of src/tenant-do/test-faults.ts: set here and nowhere else.
              bindings: {
                TEST_MIGRATIONS: migrations,
                OPERATOR_TOKEN: "test-operator-token-0123456789abcdef",
                SESSION_SIGNING_KEY: sessionSigningKey,
                WEBHOOK_RETRY_BASE_SECONDS: "0",
                PROVISIONING_RETRY_DELAY_SECONDS: "0",
                GATEHOUSE_TEST_FAULTS: "on",
              },
              // Low enough that the rate-limit test reaches it; every test uses a fresh tenant, so others never do.
              ratelimits: { SCIM_RATE_LIMITER: { simple: { limit: 200, period: 10 } } },
              // Deliver queue batches at once instead of after max_batch_timeout (shared/TOOLCHAIN.md, trap 6). Each
              // consumer's whole entry is replaced by what is given here (a shallow merge), so it starts from
              // wrangler.toml's own: retries and dead-letter queues stay as configured there.
              queueConsumers: Object.fromEntries(Object.entries(wranglerQueueConsumers).map(([queue, options]) => [queue, { ...options, maxBatchTimeout: 0 }])),
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/**/*.test.ts"],
          // test/cli and test/e2e start Node processes and a browser: they run in the "node" project below.
          exclude: ["test/cli/**", "test/e2e/**", "test/bench/**", "node_modules/**"],
          setupFiles: ["./test/setup.ts"],
          globalSetup: ["./test/global-setup.ts"],
          deps: {
            optimizer: {
              ssr: {
                enabled: true,
                include: ["hono", "drizzle-orm", "drizzle-orm/d1", "drizzle-orm/sqlite-core", "jose", "fast-xml-parser", "@peculiar/x509", "reflect-metadata"],
              },
            },
          },
        },
      },
      {
        // The operator CLI and local scripts run in Node, against a Miniflare server they start themselves; so do
        // the browser tests (test/e2e: headless Chromium through playwright-core). Generous timeouts: each file
        // bundles the worker and starts Miniflare (and Chromium) in beforeAll, and a browser step is several page
        // loads — on 2 cores, alongside the worker project, that is seconds, not milliseconds.
        test: { name: "node", environment: "node", include: ["test/cli/**/*.test.ts", "test/e2e/**/*.test.ts"], testTimeout: 90_000, hookTimeout: 180_000 },
      },
    ],
  },
});

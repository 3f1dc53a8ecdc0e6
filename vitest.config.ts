import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against real D1, Durable Objects, Queues and rate limiters, configured from
// wrangler.toml; migrations/ are applied in test/setup.ts before each file.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          OPERATOR_TOKEN: "test-operator-token-0123456789abcdef",
        },
        // Low enough that the rate-limit test can reach it; tests use a fresh tenant each, so others never do.
        ratelimits: { SCIM_RATE_LIMITER: { simple: { limit: 200, period: 10 } } },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/cli/**", "test/bench/**", "node_modules/**"],
    setupFiles: ["./test/setup.ts"],
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: ["hono", "drizzle-orm", "drizzle-orm/d1", "drizzle-orm/sqlite-core", "jose", "fast-xml-parser", "@peculiar/x509", "reflect-metadata"],
        },
      },
    },
  },
}));

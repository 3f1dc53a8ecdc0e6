/**
 * Gatehouse on plain Miniflare, without `wrangler dev`: the bundled worker and the same bindings, migrations
 * applied before it reports ready. About 3x the throughput of `wrangler dev` (no proxy workerd, no per-request
 * logging), so benchmarks and Node-side tests target this (shared/TOOLCHAIN.md, "Measured").
 *
 *   import { startLocalServer } from "../scripts/local-server";
 *   const server = await startLocalServer({ port: 0 });   // ... server.url, server.operatorToken
 *   await server.dispose();
 *
 * As a command, `tsx scripts/local-server.ts [--port N] [--persist DIR]` serves until Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Log, LogLevel, Miniflare } from "miniflare";
import { bundleWorker } from "./lib/bundle-worker";
import { generateSigningJwk } from "./lib/signing-key";
import { applyMigrations } from "./lib/d1-migrations";
import { REPO_ROOT } from "./lib/wrangler";
import { readTopLevelConfig } from "./lib/wrangler-toml";

export interface LocalServerOptions {
  /** 0 (the default) lets the OS pick a free port; read it back from `port`. */
  port?: number;
  /** Keep state across runs here; by default a fresh temporary directory, removed by dispose(). */
  persistDir?: string;
  /** Extra or overriding bindings, e.g. a fixed OPERATOR_TOKEN or SESSION_SIGNING_KEY. */
  vars?: Record<string, string>;
}

export interface LocalServer {
  /** `http://127.0.0.1:{port}`: the operator API answers here; tenants are `http://{slug}.localhost:{port}`. */
  url: string;
  port: number;
  operatorToken: string;
  dispose(): Promise<void>;
  mf: Miniflare;
}

/**
 * Bindings as in wrangler.toml's top level, with one local-only difference: the SCIM rate limit is out of the way
 * of bulk benchmarks.
 */
function workerBindings(vars: Record<string, string>) {
  return {
    bindings: vars,
    d1Databases: ["DB"],
    durableObjects: { TENANT_DO: { className: "TenantDurableObject", useSQLite: true } },
    queueProducers: { PROVISIONING_QUEUE: "gatehouse-provisioning", EVENTS_QUEUE: "gatehouse-events" },
    // The worker consumes its provisioning queues, as wrangler.toml's [[queues.consumers]] say (src/queues/provisioning.ts).
    queueConsumers: {
      "gatehouse-provisioning": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 3, deadLetterQueue: "gatehouse-provisioning-dlq" },
      "gatehouse-provisioning-dlq": { maxBatchSize: 10, maxBatchTimeout: 1 },
    },
    ratelimits: { SCIM_RATE_LIMITER: { simple: { limit: 100_000, period: 10 } } },
  };
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  // Miniflare otherwise downloads cf.json at start, which fails (slowly) without internet.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  const [bundle, config] = await Promise.all([bundleWorker(REPO_ROOT), readTopLevelConfig(REPO_ROOT)]);

  const ownsPersistDir = options.persistDir === undefined;
  const persistDir = options.persistDir === undefined ? await mkdtemp(join(tmpdir(), "gatehouse-local-")) : resolve(options.persistDir);
  const vars = {
    GATEHOUSE_DOMAIN: "localhost",
    // 256 random bits each start; the worker refuses operator tokens shorter than 24 characters.
    // Prefixed: a token starting with "-" would read as an option on a command line.
    OPERATOR_TOKEN: `gh_op_${randomBytes(32).toString("base64url")}`,
    SESSION_SIGNING_KEY: JSON.stringify(await generateSigningJwk()),
    ...options.vars,
  };

  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle.entry,
    modulesRoot: bundle.dir,
    // wrangler's output is ESM throughout; Miniflare's default rules would read other .js files as CommonJS.
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: config.compatibilityFlags,
    ...workerBindings(vars),
    host: "127.0.0.1",
    port: options.port ?? 0,
    defaultPersistRoot: persistDir,
    log: new Log(LogLevel.WARN),
  });

  // Ctrl-C never reaches an async dispose(): Miniflare's own SIGINT/SIGTERM hook stops workerd and calls
  // process.exit at once. Only "exit" listeners still run then, and they must be synchronous.
  const removeOnExit = () => rmSync(persistDir, { recursive: true, force: true });
  if (ownsPersistDir) process.on("exit", removeOnExit);
  const removePersistDir = async () => {
    if (!ownsPersistDir) return;
    process.off("exit", removeOnExit);
    await rm(persistDir, { recursive: true, force: true });
  };
  try {
    const url = await mf.ready;
    // Before anyone is told the server is up: a request must never meet a database without its tables.
    await applyMigrations(await mf.getD1Database("DB"), join(REPO_ROOT, "migrations"));
    const origin = url.origin;
    return {
      url: origin,
      port: Number(url.port),
      operatorToken: vars.OPERATOR_TOKEN,
      mf,
      dispose: async () => {
        await mf.dispose();
        await removePersistDir();
      },
    };
  } catch (error) {
    await mf.dispose().catch(() => undefined);
    await removePersistDir();
    throw error;
  }
}

async function serveUntilInterrupted(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: "string" }, persist: { type: "string" } }, strict: true });
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  const server = await startLocalServer(values.persist === undefined ? { port } : { port, persistDir: values.persist });

  process.stdout.write(
    [
      `Gatehouse (Miniflare) ready on ${server.url}`,
      `  operator token  ${server.operatorToken}`,
      `  tenants         http://{slug}.localhost:${server.port}`,
      `  state           ${values.persist === undefined ? "temporary (removed on exit)" : resolve(values.persist)}`,
      `  try             npx gatehouse tenant list --url ${server.url} --operator-token ${server.operatorToken}`,
      // Miniflare's exit hook handles Ctrl-C: it stops workerd and exits (130); a temporary state directory
      // is removed by the "exit" listener startLocalServer registered.
      "Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  serveUntilInterrupted(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

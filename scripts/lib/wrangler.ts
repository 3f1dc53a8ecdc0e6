/** Running the project's own wrangler (node_modules), quietly and without prompts, from scripts. */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * WRANGLER_SEND_METRICS=false: wrangler otherwise turns telemetry on silently. CLOUDFLARE_CF_FETCH_ENABLED=false:
 * Miniflare otherwise fetches cf.json at start, which fails offline (shared/TOOLCHAIN.md, trap 4).
 * CI=true: `d1 migrations apply` otherwise stops to ask for confirmation.
 */
export function wranglerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...extra };
}

/**
 * The wrangler CLI started directly with this Node, the same program `npx wrangler` runs, minus npx's start-up
 * time and its extra process between us and wrangler (signals reach wrangler itself).
 */
function wranglerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
}

export function spawnWrangler(args: readonly string[], options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {}): ChildProcess {
  return spawn(process.execPath, [wranglerBin(), ...args], {
    cwd: REPO_ROOT,
    env: options.env ?? wranglerEnv(),
    stdio: options.stdio ?? "inherit",
  });
}

/** Runs wrangler to completion; rejects with its output when it fails, so the caller's error says why. */
export function runWrangler(args: readonly string[], env: NodeJS.ProcessEnv = wranglerEnv()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`wrangler ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

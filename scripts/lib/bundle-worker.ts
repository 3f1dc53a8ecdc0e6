/**
 * The worker bundled exactly as `wrangler deploy` would upload it (`--dry-run --outdir`), cached by a hash of
 * everything that goes into it, so a benchmark or test run after the first skips the ~2-5 s bundling step.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { runWrangler } from "./wrangler";

/**
 * Inputs of the bundle. src/cli is left out (it runs in Node and is never bundled), so editing the CLI does not
 * force a rebuild. The lockfile and tsconfig.json are in: a dependency bump or a JSX setting changes the output.
 */
const HASHED_FILES = ["wrangler.toml", "package-lock.json", "tsconfig.json"];
const HASHED_DIR = "src";
const EXCLUDED_DIRS = new Set([join("src", "cli")]);
/** Kept so switching branches back and forth does not rebuild every time; older entries are removed. */
const CACHE_ENTRIES_KEPT = 4;
/** A build takes seconds; one this old belongs to a process that died. */
const ABANDONED_BUILD_MS = 60 * 60 * 1000;

export interface WorkerBundle {
  dir: string;
  /** The ESM entry module wrangler writes. */
  entry: string;
  /** false when this call ran wrangler. */
  cached: boolean;
}

export async function bundleWorker(root: string): Promise<WorkerBundle> {
  const cacheRoot = join(root, "node_modules", ".cache", "gatehouse-bundle");
  const dir = join(cacheRoot, await hashInputs(root));
  const entry = join(dir, "index.js");
  if (existsSync(entry)) return { dir, entry, cached: true };

  await mkdir(cacheRoot, { recursive: true });
  // Built beside the cache, then renamed into place: a rename is atomic on one file system, so a concurrent run
  // sees either no entry or a complete one, never a half-written bundle.
  const work = await mkdtemp(join(cacheRoot, ".build-"));
  try {
    const outdir = join(work, "dist");
    await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
    if (!existsSync(join(outdir, "index.js"))) throw new Error(`wrangler wrote no index.js into ${outdir}`);
    try {
      await rename(outdir, dir);
    } catch (error) {
      // Another process finished the same bundle first; theirs is as good as ours.
      if (!existsSync(entry)) throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await pruneCache(cacheRoot);
  return { dir, entry, cached: false };
}

async function hashInputs(root: string): Promise<string> {
  const hash = createHash("sha256");
  const files = [...HASHED_FILES, ...(await listFiles(root, HASHED_DIR))].sort();
  for (const file of files) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    // Name and length first, so moving bytes between files can never produce the same stream.
    const content = await readFile(path);
    hash.update(`${file}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex").slice(0, 24);
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  if (EXCLUDED_DIRS.has(dir)) return [];
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(root, path);
      return Promise.resolve(entry.isFile() ? [path] : []);
    }),
  );
  return nested.flat();
}

/** Keeps the newest bundles, and drops build directories a killed run left behind. */
async function pruneCache(cacheRoot: string): Promise<void> {
  const dirs = (await readdir(cacheRoot, { withFileTypes: true })).filter((e) => e.isDirectory());
  const dated = await Promise.all(
    dirs.map(async (e) => ({ name: e.name, path: join(cacheRoot, e.name), mtime: (await stat(join(cacheRoot, e.name))).mtimeMs })),
  );
  const bundles = dated.filter((e) => !e.name.startsWith(".")).sort((a, b) => b.mtime - a.mtime);
  const abandoned = dated.filter((e) => e.name.startsWith(".build-") && Date.now() - e.mtime > ABANDONED_BUILD_MS);
  await Promise.all([...bundles.slice(CACHE_ENTRIES_KEPT), ...abandoned].map((e) => rm(e.path, { recursive: true, force: true })));
}

/**
 * The few top-level wrangler.toml values the Miniflare harness mirrors. No TOML library is a dependency, and
 * these are simple `key = "string"` / `key = ["a", "b"]` lines above the first table, so a line match is exact
 * enough; a value it cannot find is an error, never a silent default.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface TopLevelConfig {
  compatibilityDate: string;
  compatibilityFlags: string[];
}

export async function readTopLevelConfig(root: string): Promise<TopLevelConfig> {
  const text = await readFile(join(root, "wrangler.toml"), "utf8");
  // Top-level keys end where the first [table] or [[array of tables]] starts.
  const topLevel = text.split(/^\s*\[/m)[0] ?? "";
  const date = /^\s*compatibility_date\s*=\s*"(\d{4}-\d{2}-\d{2})"/m.exec(topLevel)?.[1];
  if (date === undefined) throw new Error("wrangler.toml: no top-level compatibility_date found");
  const flagsText = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(topLevel)?.[1];
  const compatibilityFlags = flagsText === undefined ? [] : [...flagsText.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
  return { compatibilityDate: date, compatibilityFlags };
}

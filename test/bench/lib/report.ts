/** Printing and saving benchmark results: a table for the terminal, JSON under test-results/ for the record. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cpus } from "node:os";
import type { LoadResult } from "./load";

export interface RatioCheck {
  what: string;
  ratio: number;
  target: number;
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, digits = 0) => value.toFixed(digits).padStart(9);

export function printTable(results: LoadResult[], checks: RatioCheck[], p99Ok: boolean, push?: { seconds: number; users: number; members: number }) {
  const lines = [
    `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown cpu"})`,
    "",
    `${pad("kind", 36)} ${"requests".padStart(9)} ${"req/s".padStart(9)} ${"p50 ms".padStart(9)} ${"p99 ms".padStart(9)}`,
    ...results.map((r) => `${pad(r.name, 36)} ${num(r.requests)} ${num(r.perSecond)} ${num(r.p50, 1)} ${num(r.p99, 1)}${r.unexpected ? `  (${r.unexpected} unexpected statuses)` : ""}`),
    "",
    ...checks.map((c) => `${pad(c.what, 36)} ratio ${c.ratio.toFixed(2)}  ${c.ratio >= c.target ? "PASS" : "FAIL"}`),
    `${pad("p99 < 250 ms for every kind", 36)} ${p99Ok ? "PASS" : "FAIL"}`,
  ];
  if (push) lines.push("", `Okta-style push: ${push.users} users (filter + POST each) and a ${push.members}-member group in ${push.seconds.toFixed(1)} s`);
  console.log(lines.join("\n"));
}

export async function writeResults(file: string, data: unknown) {
  const dir = join(process.cwd(), "test-results");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...data as object }, null, 2)}\n`);
}

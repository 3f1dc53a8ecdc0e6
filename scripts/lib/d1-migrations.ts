/**
 * Applying migrations/*.sql to a local D1 database the way `wrangler d1 migrations apply` does: in file-name
 * order, each file once, recorded in wrangler's own `d1_migrations` table. Sharing that table means a persisted
 * directory can be migrated by either tool without applying a file twice.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The part of a D1 binding used here (Miniflare's getD1Database() proxy provides it). */
export interface MigratableDatabase {
  prepare(query: string): { bind(...values: unknown[]): unknown; all<T>(): Promise<{ results: T[] }>; run(): Promise<unknown> };
  batch(statements: unknown[]): Promise<unknown>;
}

/** drizzle-kit separates statements with this marker; D1's prepare() takes one statement at a time. */
const STATEMENT_BREAKPOINT = "--> statement-breakpoint";

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Returns the names of the files applied now (empty when the database was already up to date). */
export async function applyMigrations(db: MigratableDatabase, migrationsDir: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((name) => name.endsWith(".sql")).sort();
  await db.prepare(MIGRATIONS_TABLE).run();
  const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));

  const appliedNow: string[] = [];
  for (const file of files) {
    if (applied.has(file)) continue;
    const statements = (await readFile(join(migrationsDir, file), "utf8"))
      .split(STATEMENT_BREAKPOINT)
      .map((statement) => statement.trim())
      .filter((statement) => statement !== "");
    // One batch is one transaction in D1: a failing statement leaves neither schema changes nor the record.
    await db.batch([
      ...statements.map((statement) => db.prepare(statement)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(file),
    ]);
    appliedNow.push(file);
  }
  return appliedNow;
}

/**
 * One D1 batch (a single transaction) mixing drizzle-built statements with hand-written set-based SQL.
 * drizzle's own `batch()` only takes its query builders; membership changes need `INSERT … SELECT … json_each`,
 * so both kinds are compiled to D1 prepared statements here and sent together.
 */
export interface CompilableQuery {
  toSQL(): { sql: string; params: unknown[] };
}

export type BatchItem = CompilableQuery | D1PreparedStatement;

function isPrepared(item: BatchItem): item is D1PreparedStatement {
  return typeof (item as D1PreparedStatement).bind === "function" && typeof (item as CompilableQuery).toSQL !== "function";
}

export function compileStatement(d1: D1Database, item: BatchItem): D1PreparedStatement {
  if (isPrepared(item)) return item;
  const { sql, params } = item.toSQL();
  return d1.prepare(sql).bind(...params);
}

/** Runs every statement in one transaction: all apply, or (on any error) none do. */
export async function runBatch(d1: D1Database, items: BatchItem[]): Promise<D1Result[]> {
  return d1.batch(items.map((item) => compileStatement(d1, item)));
}

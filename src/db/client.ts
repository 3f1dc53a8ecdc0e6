import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

/**
 * One drizzle handle per D1 binding, reused across requests: building one walks the whole schema (relational
 * config), which is measurable CPU on every request if done each time.
 */
const handles = new WeakMap<D1Database, Database>();

export function openDatabase(d1: D1Database): Database {
  let db = handles.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    handles.set(d1, db);
  }
  return db;
}

import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

/** A drizzle handle over a D1 binding (or a D1 session, which has the same query surface). */
export function openDatabase(d1: D1Database | D1DatabaseSession): Database {
  return drizzle(d1 as D1Database, { schema });
}

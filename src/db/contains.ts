/** Substring search in D1 with drizzle: `column LIKE '%text%' ESCAPE '\'`, the text's own `%` and `_` literal. */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { containsPattern } from "../lib/text";

/** SQLite's LIKE ignores ASCII case; compare folded keys with folded text for the rest. */
export function containsText(column: SQLWrapper, text: string): SQL {
  return sql`${column} LIKE ${containsPattern(text)} ESCAPE '\\'`;
}

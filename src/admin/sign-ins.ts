/**
 * Sign-in attempts for the console (the activity page and a user's page): filtered, counted and paged in D1,
 * always inside one tenant. The recorded detail is JSON written by us, but it is parsed defensively all the same.
 */
import { and, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { containsText } from "../db/contains";
import { signInAttempts } from "../db/schema";
import { isPlainObject, parseJson, type JsonObject } from "../lib/json";

export interface SignInView {
  id: string;
  at: number;
  result: "success" | "failure";
  reason: string | null;
  userId: string | null;
  nameId: string | null;
  detail: JsonObject;
  requestId: string | null;
}

export interface SignInQuery {
  outcome: "ok" | "error" | undefined;
  text: string | undefined;
  userId?: string;
  offset: number;
  limit: number;
}

/** What the IdP's clock said (the assertion's instant, else the bound that failed) against the edge's clock. */
export interface SignInClocks {
  idp: { label: string; at: string } | null;
  edge: string | null;
  /** Edge minus IdP, in seconds, when both are instants. */
  differenceSeconds: number | null;
}

function conditions(tenantId: string, query: SignInQuery): SQL | undefined {
  const text = query.text;
  return and(
    eq(signInAttempts.tenantId, tenantId),
    query.userId === undefined ? undefined : eq(signInAttempts.userId, query.userId),
    query.outcome === "ok" ? eq(signInAttempts.result, "success") : query.outcome === "error" ? eq(signInAttempts.result, "failure") : undefined,
    text
      ? or(containsText(signInAttempts.nameId, text), containsText(sql`COALESCE(${signInAttempts.reason}, '')`, text), containsText(sql`COALESCE(${signInAttempts.userId}, '')`, text), containsText(signInAttempts.result, text))
      : undefined,
  );
}

export async function searchSignIns(db: Database, tenantId: string, query: SignInQuery): Promise<{ total: number; rows: SignInView[] }> {
  const where = conditions(tenantId, query);
  const [totals, rows] = await Promise.all([
    db.select({ value: count() }).from(signInAttempts).where(where),
    db.select().from(signInAttempts).where(where).orderBy(desc(signInAttempts.at), desc(signInAttempts.id)).limit(query.limit).offset(query.offset),
  ]);
  return {
    total: totals[0]?.value ?? 0,
    rows: rows.map((row) => {
      const detail = parseJson(row.detail);
      return { id: row.id, at: row.at, result: row.result, reason: row.reason, userId: row.userId, nameId: row.nameId, detail: isPlainObject(detail) ? detail : {}, requestId: row.requestId };
    }),
  };
}

const IDP_INSTANTS: [key: string, label: string][] = [
  ["idpIssueInstant", "issued"],
  ["notBefore", "valid from"],
  ["notOnOrAfter", "valid until"],
];

export function signInClocks(detail: JsonObject): SignInClocks {
  const edge = typeof detail.edgeTime === "string" ? detail.edgeTime : null;
  const found = IDP_INSTANTS.find(([key]) => typeof detail[key] === "string");
  const idp = found ? { label: found[1], at: detail[found[0]] as string } : null;
  const difference = idp && edge ? (Date.parse(edge) - Date.parse(idp.at)) / 1000 : NaN;
  return { idp, edge, differenceSeconds: Number.isFinite(difference) ? Math.round(difference) : null };
}

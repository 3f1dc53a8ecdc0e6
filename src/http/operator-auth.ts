/**
 * Operator API authentication: a bearer token equal to the `OPERATOR_TOKEN` secret, compared in constant time.
 * No token configured means no operator API (503), never an open one.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { sha256Hex, timingSafeEqual } from "../lib/bytes";

export function operatorError(status: number, code: string, error: string): Response {
  return new Response(JSON.stringify({ error, code }), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

export const operatorAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.host.kind !== "operator") return operatorError(404, "not_found", "Not found.");
  const expected = c.var.config.operatorToken;
  if (!expected) return operatorError(503, "operator_api_disabled", "OPERATOR_TOKEN is not set (at least 24 characters): the operator API is off.");
  const header = c.req.header("authorization") ?? "";
  const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? "";
  // Compare hashes: equal length whatever was presented, so the comparison time says nothing about the secret.
  if (!timingSafeEqual(await sha256Hex(presented), await sha256Hex(expected))) {
    return new Response(JSON.stringify({ error: "The operator token is missing or wrong.", code: "unauthorized" }), {
      status: 401,
      headers: { "Content-Type": "application/json; charset=utf-8", "WWW-Authenticate": 'Bearer realm="gatehouse-operator"' },
    });
  }
  await next();
});

/**
 * Shape checks on operator API answers before human output reads fields from them. The server is ours, but a
 * version mismatch or a proxy's error page should produce a clear "unexpected response", not a TypeError.
 * (With --json the body is printed as received and these checks do not run.)
 */
import { ApiError } from "./errors";

export type JsonObject = Record<string, unknown>;

export function expectObject(value: unknown, what: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError(`unexpected response for ${what}: expected a JSON object`, 0, "invalid_response");
  }
  return value as JsonObject;
}

export function expectObjectArray(parent: JsonObject, key: string, what: string): JsonObject[] {
  const value = parent[key];
  if (!Array.isArray(value)) {
    throw new ApiError(`unexpected response for ${what}: "${key}" is not an array`, 0, "invalid_response");
  }
  return value.map((item) => expectObject(item, what));
}

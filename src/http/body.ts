/**
 * Request bodies, bounded before they are parsed: the size is checked against Content-Length first and then
 * enforced while streaming (a chunked body has no length), so an oversized body is never buffered whole.
 */
import { utf8DecodeStrict } from "../lib/bytes";
import { parseJson, type JsonValue } from "../lib/json";

export const MAX_SCIM_BODY_BYTES = 1024 * 1024;

export type BodyResult<T> = { ok: true; value: T } | { ok: false; reason: "too_large" | "invalid_utf8" | "invalid_json" };

export async function readBodyText(request: Request, limit: number): Promise<BodyResult<string>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, value: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, value: utf8DecodeStrict(bytes) };
  } catch {
    return { ok: false, reason: "invalid_utf8" };
  }
}

export async function readJsonBody(request: Request, limit: number): Promise<BodyResult<JsonValue>> {
  const text = await readBodyText(request, limit);
  if (!text.ok) return text;
  const value = parseJson(text.value);
  return value === undefined ? { ok: false, reason: "invalid_json" } : { ok: true, value };
}

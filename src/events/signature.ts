/**
 * Webhook signatures: `Gatehouse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 *
 * Attacks this stops, on the host app's side when it verifies:
 * - forged deliveries: without the secret no one can produce a v1 that matches the body;
 * - altered bodies: the MAC covers every byte of the body as sent;
 * - replays of a captured delivery later: the timestamp is inside the MAC, and a receiver refuses one outside its
 *   tolerance (300 s by default), so a recorded request stops working minutes after it was sent;
 * - timing attacks on the comparison: the expected and presented MACs are compared in constant time.
 * The key is the secret's UTF-8 text as shown (`whsec_…`), so any HMAC library verifies it without decoding.
 * Pure (the time is a parameter); WebCrypto only, so the same code runs in Workers, Node 20+, Deno and browsers.
 */
import { bytesToHex, timingSafeEqual, utf8Encode } from "../lib/bytes";

export const SIGNATURE_HEADER = "Gatehouse-Signature";
export const EVENT_ID_HEADER = "Gatehouse-Event-Id";
export const EVENT_TYPE_HEADER = "Gatehouse-Event-Type";
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A header longer than this is not ours (one timestamp and a few 64-hex MACs); refused before any parsing. */
const MAX_HEADER_LENGTH = 1024;
const TIMESTAMP = /^\d{1,12}$/;
const MAC_HEX = /^[0-9a-f]{64}$/;

export type WebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: "malformed_header" | "timestamp_outside_tolerance" | "signature_mismatch" };

async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8Encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return bytesToHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8Encode(message))));
}

/** The header value for `body` sent at `now` (epoch milliseconds). */
export async function signWebhookBody(secret: string, body: string, now: number): Promise<string> {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/** `t` exactly once, one or more `v1` (several during a secret rotation); anything else unknown is ignored. */
function parseSignatureHeader(header: string): { timestamp: number; macs: string[] } | undefined {
  if (header.length > MAX_HEADER_LENGTH) return undefined;
  let timestamp: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(",")) {
    const separator = part.indexOf("=");
    if (separator < 0) return undefined;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === "t") {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return undefined;
      timestamp = Number(value);
    } else if (name === "v1") {
      if (!MAC_HEX.test(value)) return undefined;
      macs.push(value);
    }
  }
  return timestamp === undefined || macs.length === 0 ? undefined : { timestamp, macs };
}

/**
 * Checks a delivery as a host app should: `body` is the raw request body exactly as received (not re-serialised
 * JSON), `now` epoch milliseconds. The timestamp is checked first, so a stale delivery is refused whatever it says.
 */
export async function verifyWebhookSignature(secret: string, header: string | null, body: string, now: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): Promise<WebhookSignatureCheck> {
  const parsed = header === null ? undefined : parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: "malformed_header" };
  if (Math.abs(now / 1000 - parsed.timestamp) > toleranceSeconds) return { ok: false, reason: "timestamp_outside_tolerance" };
  const expected = await hmacSha256Hex(secret, `${parsed.timestamp}.${body}`);
  // Every presented MAC is compared in full (no early exit), so timing says nothing about which one was close.
  let matched = false;
  for (const mac of parsed.macs) matched = timingSafeEqual(mac, expected) || matched;
  return matched ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: "signature_mismatch" };
}

/** Byte and encoding helpers. Strict: a malformed input is an error, never a best-effort guess. */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, throwing on invalid sequences instead of substituting U+FFFD. */
export function utf8DecodeStrict(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** RFC 4648 §4 alphabet → 6-bit value; 255 for every other character code below 128. */
const BASE64_VALUES = (() => {
  const table = new Uint8Array(128).fill(255);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? BASE64_VALUES[code]! : 255;
}

/**
 * Decodes canonical padded base64 (RFC 4648 §4: length a multiple of four, `=` only as the last one or two
 * characters); returns null for anything else, so stray characters are never silently skipped the way `atob`
 * skips white space. One pass, no regular expression: SAMLResponse fields are 10–80 KB on every sign-in.
 */
export function base64DecodeStrict(text: string): Uint8Array | null {
  const length = text.length;
  if (length % 4 !== 0) return null;
  const padding = length === 0 ? 0 : text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((length / 4) * 3 - padding);
  const whole = length - (padding === 0 ? 0 : 4); // characters in groups without padding
  let out = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i), b = sextet(text, i + 1), c = sextet(text, i + 2), d = sextet(text, i + 3);
    if ((a | b | c | d) > 63) return null;
    const group = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = group >> 16;
    bytes[out++] = (group >> 8) & 0xff;
    bytes[out++] = group & 0xff;
  }
  if (padding > 0) {
    const a = sextet(text, whole), b = sextet(text, whole + 1), c = padding === 2 ? 0 : sextet(text, whole + 2);
    if ((a | b | c) > 63) return null;
    const group = (a << 18) | (b << 12) | (c << 6);
    bytes[out++] = group >> 16;
    if (padding === 1) bytes[out++] = (group >> 8) & 0xff;
  }
  return bytes;
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8Encode(text))));
}

/**
 * Compares two strings without an early exit, so the time taken does not reveal how long a matching prefix
 * was (timing attacks on secret comparison). Lengths are not secret here: callers compare fixed-size hashes.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = utf8Encode(a);
  const right = utf8Encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

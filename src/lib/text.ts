/** Text helpers with no domain words: bounding what we store and show, and searching it. */

/** At most `max` characters; a cut is marked with "…" (within the bound). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * D1 and Durable Object SQLite refuse a LIKE pattern longer than 50 bytes ("LIKE or GLOB pattern too complex";
 * Cloudflare's D1 limits list "maximum bytes in a LIKE or GLOB pattern: 50").
 */
export const MAX_LIKE_PATTERN_BYTES = 50;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

const encoder = new TextEncoder();

/** The longest start of `text` whose `%…%` pattern fits the limit (cut by whole code points). */
export function fitLikeSearch(text: string): string {
  let fitted = "";
  let bytes = 2;
  for (const character of text) {
    const size = encoder.encode(escapeLike(character)).length;
    if (bytes + size > MAX_LIKE_PATTERN_BYTES) break;
    fitted += character;
    bytes += size;
  }
  return fitted;
}

/** A SQL `LIKE … ESCAPE '\'` pattern matching `text` anywhere: `%` and `_` typed by a person are literal. */
export function containsPattern(text: string): string {
  return `%${escapeLike(fitLikeSearch(text))}%`;
}

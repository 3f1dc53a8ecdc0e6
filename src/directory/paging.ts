/**
 * Paging of the directory API, pure. Query parameters come from an untrusted caller: each is accepted only in its
 * exact form (digits only — no sign, exponent, blank or hex that `Number()` would let through) and otherwise
 * refused with a 400 code, never clamped and never left to fail as a 500. The values reach SQL only as bound
 * parameters.
 *
 * Pages are keyset pages (a position, not an offset): stable while the directory changes under a host app that is
 * catching up, and as cheap on the last page as on the first.
 */
import type { DirectoryErrorCode } from "./errors";

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: DirectoryErrorCode };

/** A place in a list ordered by creation time, then id (the order of users and groups). */
export interface ListPosition {
  createdAt: number;
  id: string;
}

/** Ids are `{kind}_` + base64url; the bound is far above the 26 characters they have. */
const ID = "[A-Za-z0-9_-]{1,64}";
const POSITION_CURSOR = new RegExp(`^(\\d{1,15})\\.(${ID})$`);
const ID_CURSOR = new RegExp(`^${ID}$`);

export function parseLimit(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: DEFAULT_PAGE_LIMIT };
  const value = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  return value >= 1 && value <= MAX_PAGE_LIMIT ? { ok: true, value } : { ok: false, code: "invalid_limit" };
}

/** `after` of the event feed: the last seq the host app has seen (0, or absent, for the beginning). */
export function parseAfterSeq(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: 0 };
  // At most 15 digits: every such number is an exact integer in a double (below 2^53).
  return /^\d{1,15}$/.test(raw) ? { ok: true, value: Number(raw) } : { ok: false, code: "invalid_after" };
}

export function positionCursor(row: ListPosition): string {
  return `${row.createdAt}.${row.id}`;
}

export function parsePositionCursor(raw: string | undefined): Parsed<ListPosition | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const match = POSITION_CURSOR.exec(raw);
  return match ? { ok: true, value: { createdAt: Number(match[1]), id: match[2]! } } : { ok: false, code: "invalid_cursor" };
}

/** A cursor that is the id of the last row read (lists ordered by id, such as a group's members). */
export function parseIdCursor(raw: string | undefined): Parsed<string | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  return ID_CURSOR.test(raw) ? { ok: true, value: raw } : { ok: false, code: "invalid_cursor" };
}

export interface Page<T> {
  items: T[];
  /** The cursor of the following page, or null when this page is the last one for now. */
  next: string | null;
}

/** Cuts a page from `limit + 1` rows: the extra row only says that there is a next page. */
export function cutPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursorOf(items[items.length - 1]!) : null };
}

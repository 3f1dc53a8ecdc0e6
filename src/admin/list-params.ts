/**
 * The query parameters of the console's lists (`page`, `q`, and each list's choices), read from untrusted input:
 * anything odd (`page=-1`, `kind=zzz`, a `q` longer than the database can search) is normalised to a safe value
 * and explained on the page in a notice, never an error page and never a 500.
 */
import { fitLikeSearch, MAX_LIKE_PATTERN_BYTES } from "../lib/text";

export const PAGE_SIZE = 50;
/** Deepest page any list offers (OFFSET cost grows with the page; the SCIM log holds 100 pages anyway). */
export const MAX_PAGE = 1000;

export interface ListParams {
  page: number;
  offset: number;
  /** Trimmed search text, or undefined for none. */
  text: string | undefined;
  /** What was normalised, in words, for the page to show. */
  notices: string[];
}

export function readListParams(query: (name: string) => string | undefined, maxPage = MAX_PAGE): ListParams {
  const notices: string[] = [];
  const rawPage = query("page");
  let page = 1;
  if (rawPage !== undefined && rawPage !== "") {
    const parsed = /^\d{1,7}$/.test(rawPage) ? Number(rawPage) : NaN;
    if (!(parsed >= 1)) notices.push(`"page" must be a whole number from 1; showing page 1.`);
    else if (parsed > maxPage) {
      notices.push(`Only the first ${maxPage} pages are listed; showing page ${maxPage}. Narrow the list with the filters to see older entries.`);
      page = maxPage;
    } else page = parsed;
  }
  const rawText = query("q")?.trim();
  let text = rawText || undefined;
  if (text !== undefined && fitLikeSearch(text) !== text) {
    text = fitLikeSearch(text);
    notices.push(`Searches are limited to ${MAX_LIKE_PATTERN_BYTES - 2} bytes, so the text was cut to "${text}".`);
  }
  return { page, offset: (page - 1) * PAGE_SIZE, text, notices };
}

/** One of `choices`, or `fallback` with a notice when the parameter holds anything else. */
export function readChoice<T extends string>(query: (name: string) => string | undefined, name: string, choices: readonly T[], fallback: T, notices: string[]): T {
  const raw = query(name);
  if (raw === undefined || raw === "") return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  notices.push(`"${name}" can be ${choices.join(", ")}; "${raw.slice(0, 40)}" is not one of them, so ${fallback} is shown.`);
  return fallback;
}

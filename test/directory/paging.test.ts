/** The directory API's parameters: exact forms accepted, everything else refused with its code (never clamped). */
import { describe, expect, it } from "vitest";
import { cutPage, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, parseAfterSeq, parseIdCursor, parseLimit, parsePositionCursor, positionCursor } from "../../src/directory/paging";

describe("parseLimit", () => {
  it("defaults when absent and accepts 1 to the maximum", () => {
    expect(parseLimit(undefined)).toEqual({ ok: true, value: DEFAULT_PAGE_LIMIT });
    expect(parseLimit("1")).toEqual({ ok: true, value: 1 });
    expect(parseLimit(String(MAX_PAGE_LIMIT))).toEqual({ ok: true, value: MAX_PAGE_LIMIT });
  });

  it.each(["", "0", "-1", "+5", "501", "100000", "1e2", "0x10", " 5", "5 ", "abc", "5.0", "１０"])("refuses %j", (raw) => {
    expect(parseLimit(raw)).toEqual({ ok: false, code: "invalid_limit" });
  });
});

describe("parseAfterSeq", () => {
  it("starts at 0 and accepts any whole number a double holds exactly", () => {
    expect(parseAfterSeq(undefined)).toEqual({ ok: true, value: 0 });
    expect(parseAfterSeq("0")).toEqual({ ok: true, value: 0 });
    expect(parseAfterSeq("999999999999999")).toEqual({ ok: true, value: 999999999999999 });
  });

  it.each(["", "-1", "1.5", "1e3", "9999999999999999", "1 OR 1=1", "' OR '1'='1"])("refuses %j", (raw) => {
    expect(parseAfterSeq(raw)).toEqual({ ok: false, code: "invalid_after" });
  });
});

describe("cursors", () => {
  it("a position cursor reads back as the position it was made from", () => {
    const position = { createdAt: 1_714_000_000_123, id: "usr_AbC-d_9" };
    expect(parsePositionCursor(positionCursor(position))).toEqual({ ok: true, value: position });
    expect(parsePositionCursor(undefined)).toEqual({ ok: true, value: undefined });
    expect(parseIdCursor("usr_AbC-d_9")).toEqual({ ok: true, value: "usr_AbC-d_9" });
  });

  it.each(["", "garbage", "1.", ".usr_x", "-1.usr_x", "1.usr x", "1.usr_x'--", `1.${"a".repeat(65)}`])("refuses the position cursor %j", (raw) => {
    expect(parsePositionCursor(raw)).toEqual({ ok: false, code: "invalid_cursor" });
  });

  it.each(["", "a b", "x'--", "a".repeat(65)])("refuses the id cursor %j", (raw) => {
    expect(parseIdCursor(raw)).toEqual({ ok: false, code: "invalid_cursor" });
  });
});

describe("cutPage", () => {
  it("keeps `limit` rows and names the next page only when a further row exists", () => {
    expect(cutPage([1, 2, 3], 2, String)).toEqual({ items: [1, 2], next: "2" });
    expect(cutPage([1, 2], 2, String)).toEqual({ items: [1, 2], next: null });
    expect(cutPage([], 2, String)).toEqual({ items: [], next: null });
  });
});

import { describe, expect, it } from "vitest";
import { containsPattern, fitLikeSearch, MAX_LIKE_PATTERN_BYTES, truncate } from "../../src/lib/text";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("text helpers", () => {
  it("truncate keeps short text and marks a cut within the bound", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("x".repeat(20), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("LIKE patterns stay within the 50 bytes D1 and Durable Object SQLite accept", () => {
    expect(containsPattern("a%b_c\\")).toBe("%a\\%b\\_c\\\\%");
    for (const text of ["x".repeat(500), "%".repeat(100), "é".repeat(100), "👩‍💻".repeat(20), "a".repeat(47) + "%"]) {
      expect(bytes(containsPattern(text))).toBeLessThanOrEqual(MAX_LIKE_PATTERN_BYTES);
      expect(text.startsWith(fitLikeSearch(text))).toBe(true);
    }
    expect(fitLikeSearch("x".repeat(500))).toHaveLength(MAX_LIKE_PATTERN_BYTES - 2);
    expect(fitLikeSearch("short")).toBe("short");
  });
});

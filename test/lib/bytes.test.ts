import { describe, expect, it } from "vitest";
import { base64DecodeStrict } from "../../src/lib/bytes";

function viaAtob(text: string): number[] {
  return Array.from(atob(text), (char) => char.charCodeAt(0));
}

describe("base64DecodeStrict", () => {
  it("decodes every length and byte value exactly as atob does", () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff);
      const encoded = btoa(String.fromCharCode(...bytes));
      expect(Array.from(base64DecodeStrict(encoded)!)).toEqual(bytes);
      expect(Array.from(base64DecodeStrict(encoded)!)).toEqual(viaAtob(encoded));
    }
  });

  it("decodes the whole alphabet", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    expect(Array.from(base64DecodeStrict(alphabet)!)).toEqual(viaAtob(alphabet));
  });

  // What atob forgives and a strict decoder must not: white space, missing or misplaced padding, other alphabets.
  it.each([
    ["missing padding", "QQ"],
    ["one pad short", "QQ="],
    ["too much padding", "QQ==="],
    ["only padding", "===="],
    ["padding inside", "QQ==QUFB"],
    ["padding in the third place only", "QQ=B"],
    ["three pads", "Q==="],
    ["white space", "QUFB QUFB"],
    ["a line break", "QUFB\nQUFB"],
    ["base64url characters", "-_-_"],
    ["a non-ASCII character", "QUF\u00e9"],
    ["a character above the BMP", "QU\ud83d\ude00"],
    ["a NUL", "QUF\u0000"],
  ])("refuses %s", (_, text) => {
    expect(base64DecodeStrict(text)).toBeNull();
  });

  it("accepts the empty string as no bytes", () => {
    expect(base64DecodeStrict("")).toEqual(new Uint8Array(0));
  });
});

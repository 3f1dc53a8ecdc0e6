import { describe, expect, it } from "vitest";
import { parseFilter, parsePatchPath } from "../../src/scim/filter";
import { evaluateFilter } from "../../src/scim/filter-evaluate";
import { comparisonRules } from "../../src/scim/patch";
import { parseListQuery } from "../../src/scim/query";
import type { JsonObject } from "../../src/lib/json";

const user: JsonObject = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  id: "usr_1",
  externalId: "00uAbC",
  userName: "Bjensen@Example.com",
  name: { givenName: "Barbara", familyName: "Jensen" },
  title: "Tour Guide",
  active: true,
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Tours", manager: { value: "usr_boss" } },
  meta: { created: "2026-01-01T10:00:00.000Z", lastModified: "2026-06-01T10:00:00.000Z" },
};

const rules = comparisonRules("User");
const matches = (text: string) => {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.detail);
  return evaluateFilter(parsed.value, user, rules, "urn:ietf:params:scim:schemas:core:2.0:User");
};

describe("SCIM filter evaluation (RFC 7644 §3.4.2.2)", () => {
  it.each([
    ['userName eq "bjensen@example.com"', true], // userName is caseExact false
    ['USERNAME EQ "BJENSEN@EXAMPLE.COM"', true], // attribute names and operators are case-insensitive
    ['userName ne "bjensen@example.com"', false],
    ['externalId eq "00uabc"', false], // externalId is caseExact
    ['externalId eq "00uAbC"', true],
    ['name.familyName co "ens"', true],
    ['userName sw "bj"', true],
    ['userName ew ".com"', true],
    ['title pr', true],
    ["nickName pr", false],
    ["active eq true", true],
    ["active eq false", false],
    ['emails.value eq "babs@jensen.org"', true],
    ['emails co "jensen.org"', true], // complex attribute compares its value
    ['emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "home" and value co "@example.com"]', false],
    ['meta.lastModified gt "2026-05-01T00:00:00Z"', true],
    ['meta.lastModified lt "2026-05-01T00:00:00Z"', false],
    ['meta.created ge "2026-01-01T10:00:00Z"', true],
    ['userName eq "x" or title eq "Tour Guide"', true],
    ['userName eq "x" or title eq "Tour Guide" and active eq false', false], // and binds tighter than or
    ['(userName eq "x" or title eq "Tour Guide") and active eq true', true],
    ['not (userName eq "x")', true],
    ['not(active eq true)', false],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tours"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "usr_boss"', true],
    ['title eq "Tour \\"Guide\\""', false],
    ['userName gt "a"', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true], // sub-attribute after a value path
    ['emails[type eq "home"].value eq "bjensen@example.com"', false], // both conditions on the same element
    ['emails[type eq "home"].value ew "jensen.org"', true],
    ['emails[type eq "other"].value pr', false],
  ])("%s → %s", (text, expected) => {
    expect(matches(text)).toBe(expected);
  });
});

describe("SCIM filter syntax errors are invalidFilter, never an empty list", () => {
  it.each([
    ["userName eq"],
    ['userName equals "x"'],
    ['userName eq "unterminated'],
    ['(userName eq "x"'],
    ['userName eq "x")'],
    ['userName eq "x" and'],
    ['emails[type eq "work"'],
    ["userName eq x"],
    ['user_name! eq "x"'],
    [""],
    ['not userName eq "x"'],
    ['a.b.c eq "x"'],
  ])("%j", (text) => {
    expect(parseFilter(text).ok).toBe(false);
  });

  it("caps nesting depth", () => {
    expect(parseFilter(`${"(".repeat(40)}userName eq "x"${")".repeat(40)}`).ok).toBe(false);
    expect(parseFilter(`${"(".repeat(10)}userName eq "x"${")".repeat(10)}`).ok).toBe(true);
  });

  it.each([
    ["active gt true", "User"],
    ['active co "t"', "User"],
    ['groups.value eq "grp_1"', "User"],
    ['members.value eq "usr_1"', "Group"],
    ['name eq "Barbara"', "User"],
    ['password eq "x"', "User"],
  ] as const)("%s on %s is rejected by validation", (text, kind) => {
    const query = parseListQuery(kind, { filter: text });
    expect(query.ok).toBe(false);
    if (!query.ok) expect(query.error).toMatchObject({ status: 400, scimType: "invalidFilter" });
  });
});

describe("PATCH paths (RFC 7644 §3.5.2)", () => {
  it("parses attribute, value-filter and sub-attribute paths", () => {
    expect(parsePatchPath("name.givenName")).toEqual({ ok: true, value: { path: { attribute: "name", subAttribute: "givenName" } } });
    const members = parsePatchPath('members[value eq "2819c223"]');
    expect(members.ok && members.value.filter).toMatchObject({ kind: "compare", operator: "eq", value: "2819c223" });
    const email = parsePatchPath('emails[type eq "work"].value');
    expect(email.ok && email.value.subAttribute).toBe("value");
    const extension = parsePatchPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
    expect(extension.ok && extension.value.path).toEqual({ schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value" });
  });

  it.each(['members[value eq "x"', "emails[]", 'emails[type eq "work"]value', "na me"])("rejects %j", (text) => {
    expect(parsePatchPath(text).ok).toBe(false);
  });
});

describe("list query parameters (RFC 7644 §3.4.2.4)", () => {
  it("clamps startIndex and count, and rejects non-integers", () => {
    const query = parseListQuery("User", { startIndex: "0", count: "-5" });
    expect(query.ok && [query.value.startIndex, query.value.count]).toEqual([1, 0]);
    const big = parseListQuery("User", { count: "100000" });
    expect(big.ok && big.value.count).toBe(1000);
    const bad = parseListQuery("User", { count: "ten" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
});

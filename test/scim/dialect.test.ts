/** Dialect detection (src/scim/dialect.ts): pure, from method, path, User-Agent and the PATCH body's shape. */
import { describe, expect, it } from "vitest";
import { detectDialect, DIALECT_LABELS, isEntraShapedPatch, type DialectEvidence } from "../../src/scim/dialect";
import { errorDetailOf } from "../../src/scim/request-log";
import { patchBody } from "../helpers/tenant";

const OKTA = "Okta SCIM Client 1.0.0";
const USER = "/okta/scim/v2/Users/usr_0123456789abcdef";

function evidence(overrides: Partial<DialectEvidence>): DialectEvidence {
  return { method: "GET", path: USER, userAgent: null, entraShapedPatch: false, ...overrides };
}

describe("detectDialect", () => {
  it.each([
    ["Okta PUT on a user → wizard app", { method: "PUT", userAgent: OKTA }, "okta-wizard"],
    ["Okta PATCH on a user → catalog app", { method: "PATCH", userAgent: OKTA }, "okta-catalog"],
    ["Okta PATCH on a user, SCIM 1.1-style base", { method: "PATCH", userAgent: OKTA, path: "/okta/scim/Users/usr_1" }, "okta-catalog"],
    ["the agent is matched without case", { method: "PUT", userAgent: "okta scim client 2.1.0" }, "okta-wizard"],
    ["Okta PATCH on a group tells nothing", { method: "PATCH", userAgent: OKTA, path: "/okta/scim/v2/Groups/grp_1" }, "unknown"],
    ["Okta PUT on a group tells nothing", { method: "PUT", userAgent: OKTA, path: "/okta/scim/v2/Groups/grp_1" }, "unknown"],
    ["Okta list of users tells nothing", { method: "GET", userAgent: OKTA, path: "/okta/scim/v2/Users" }, "unknown"],
    ["Okta POST of a user tells nothing", { method: "POST", userAgent: OKTA, path: "/okta/scim/v2/Users" }, "unknown"],
    ["Okta GET of one user tells nothing", { method: "GET", userAgent: OKTA }, "unknown"],
    ["Azure AD's agent", { userAgent: "Microsoft Azure AD SCIM provisioning 1.0.0" }, "entra"],
    ["an Entra-shaped PATCH without an agent", { method: "PATCH", entraShapedPatch: true }, "entra"],
    ["no agent and a plain request", {}, "unknown"],
    ["curl", { method: "PUT", userAgent: "curl/8.5.0" }, "unknown"],
    ["an agent that only mentions Okta later", { method: "PUT", userAgent: "NotOkta SCIM Client 1.0.0" }, "unknown"],
  ] as const)("%s", (_, overrides, expected) => {
    expect(detectDialect(evidence(overrides))).toBe(expected);
  });

  it("Okta's agent wins over an odd body shape (Okta always sends lowercase ops)", () => {
    expect(detectDialect(evidence({ method: "PATCH", userAgent: OKTA, entraShapedPatch: true }))).toBe("okta-catalog");
  });

  it("every dialect has its words for the overview", () => {
    expect(DIALECT_LABELS["okta-catalog"]).toBe("Okta app from the catalog (PATCH)");
    expect(DIALECT_LABELS["okta-wizard"]).toBe("Okta SCIM app made with the App Integration Wizard (PUT)");
    expect(DIALECT_LABELS.entra).toBe("Microsoft Entra ID");
  });
});

describe("isEntraShapedPatch", () => {
  it.each([
    ["capitalised op", patchBody({ op: "Replace", path: "active", value: false }), true],
    ["string boolean value", patchBody({ op: "replace", path: "active", value: "False" }), true],
    ["string boolean inside a pathless value", patchBody({ op: "replace", value: { active: "True" } }), true],
    ["Okta's catalog deactivation", patchBody({ op: "replace", value: { active: false } }), false],
    ["Okta's group push", patchBody({ op: "remove", path: 'members[value eq "usr_1"]' }, { op: "add", path: "members", value: [{ value: "usr_2" }] }), false],
    ["a string that only looks like a boolean", patchBody({ op: "replace", path: "title", value: "false" }), false],
    ["not an object", [1, 2], false],
    ["no operations", { schemas: [] }, false],
    ["operations of the wrong shape", { Operations: ["Replace", null] }, false],
  ] as const)("%s", (_, body, expected) => {
    expect(isEntraShapedPatch(body as never)).toBe(expected);
  });
});

describe("errorDetailOf", () => {
  it("takes scimType and detail from an RFC 7644 §3.12 body", () => {
    expect(errorDetailOf(JSON.stringify({ schemas: [], status: "400", scimType: "invalidValue", detail: '"userName" is required.' }))).toBe('invalidValue: "userName" is required.');
    expect(errorDetailOf(JSON.stringify({ status: "401", detail: "Authorization is required." }))).toBe("Authorization is required.");
  });

  it("is null for anything else, and bounded", () => {
    expect(errorDetailOf("<html>")).toBeNull();
    expect(errorDetailOf("[]")).toBeNull();
    expect(errorDetailOf(JSON.stringify({ status: "500" }))).toBeNull();
    expect(errorDetailOf(JSON.stringify({ detail: "x".repeat(2000) }))!.length).toBeLessThanOrEqual(500);
  });
});

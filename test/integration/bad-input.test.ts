/**
 * Bad input never yields a 500 or a partial write: each case gets the RFC 7644 §3.12 status and scimType, and the
 * tenant's rows (users, groups, memberships, audit log) are byte-for-byte what they were before.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTenant, oktaUser, patchBody, scim, type ScimOptions, type TestTenant } from "../helpers/tenant";

let tenant: TestTenant;
let userId: string;
let otherUserName: string;
let groupId: string;

async function snapshot(): Promise<string> {
  const tables = ["users", "groups", "group_members", "audit_log"];
  const parts = [];
  for (const table of tables) {
    const rows = await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY rowid`).bind(tenant.id).all();
    parts.push(JSON.stringify(rows.results));
  }
  return parts.join("\n");
}

beforeAll(async () => {
  tenant = await createTestTenant("bad");
  userId = (await scim(tenant, "POST", "/Users", oktaUser("target.user@acme.test"))).body.id;
  otherUserName = "other.user@acme.test";
  await scim(tenant, "POST", "/Users", oktaUser(otherUserName));
  groupId = (await scim(tenant, "POST", "/Groups", { displayName: "Target", members: [{ value: userId }] })).body.id;
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  options?: () => ScimOptions;
  status: number;
  scimType?: string;
}

const tooManyOps = () => patchBody(...Array.from({ length: 1001 }, () => ({ op: "replace", path: "title", value: "x" })));

const cases: Case[] = [
  { name: "malformed JSON", method: "POST", path: () => "/Users", options: () => ({ raw: '{"userName": ' }), status: 400, scimType: "invalidSyntax" },
  { name: "a JSON array as a user", method: "POST", path: () => "/Users", body: () => [], status: 400, scimType: "invalidSyntax" },
  { name: "no userName", method: "POST", path: () => "/Users", body: () => ({ name: { givenName: "x" } }), status: 400, scimType: "invalidValue" },
  { name: "blank userName", method: "POST", path: () => "/Users", body: () => ({ userName: "   " }), status: 400, scimType: "invalidValue" },
  { name: "userName as an object", method: "POST", path: () => "/Users", body: () => ({ userName: { value: "x" } }), status: 400, scimType: "invalidValue" },
  { name: "active that is not a boolean", method: "POST", path: () => "/Users", body: () => oktaUser("new1@acme.test", { active: "maybe" }), status: 400, scimType: "invalidValue" },
  { name: "emails as a string", method: "POST", path: () => "/Users", body: () => oktaUser("new2@acme.test", { emails: "x@y.z" }), status: 400, scimType: "invalidValue" },
  { name: "name as a list", method: "POST", path: () => "/Users", body: () => oktaUser("new3@acme.test", { name: [{ givenName: "x" }] }), status: 400, scimType: "invalidValue" },
  { name: "an extension that is not an object", method: "POST", path: () => "/Users", body: () => oktaUser("new4@acme.test", { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "Finance" }), status: 400, scimType: "invalidValue" },
  { name: "a body over 1 MB", method: "POST", path: () => "/Users", body: () => oktaUser("big@acme.test", { title: "x".repeat(1024 * 1024) }), status: 413 },
  { name: "invalid UTF-8", method: "POST", path: () => "/Users", options: () => ({ raw: new Uint8Array([...new TextEncoder().encode('{"userName": "'), 0xc3, 0x28, ...new TextEncoder().encode('"}')]) }), status: 400, scimType: "invalidSyntax" },
  { name: "an unparsable filter", method: "GET", path: () => `/Users?filter=${encodeURIComponent("userName eq")}`, status: 400, scimType: "invalidFilter" },
  { name: "an unsupported filter attribute", method: "GET", path: () => `/Groups?filter=${encodeURIComponent('members.value eq "x"')}`, status: 400, scimType: "invalidFilter" },
  { name: "a filter nested too deep", method: "GET", path: () => `/Users?filter=${encodeURIComponent(`${"(".repeat(50)}title pr${")".repeat(50)}`)}`, status: 400, scimType: "invalidFilter" },
  { name: "count that is not a number", method: "GET", path: () => "/Users?count=ten", status: 400, scimType: "invalidValue" },
  { name: "PATCH without the PatchOp schema", method: "PATCH", path: () => `/Users/${userId}`, body: () => ({ Operations: [{ op: "replace", path: "title", value: "x" }] }), status: 400, scimType: "invalidSyntax" },
  { name: "PATCH with an unknown op", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "move", path: "title", value: "x" }), status: 400, scimType: "invalidSyntax" },
  { name: "PATCH with a broken path", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: 'emails[type eq "work"', value: "x" }), status: 400, scimType: "invalidPath" },
  { name: "PATCH of id", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: "id", value: "usr_mine" }), status: 400, scimType: "mutability" },
  { name: "PATCH of a user's groups", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "add", path: "groups", value: [{ value: groupId }] }), status: 400, scimType: "mutability" },
  { name: "PATCH to a blank userName", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: "userName", value: "" }), status: 400, scimType: "invalidValue" },
  { name: "PATCH to another user's userName", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: "userName", value: otherUserName.toUpperCase() }), status: 409, scimType: "uniqueness" },
  { name: "PATCH: a good op then a bad one (all or nothing)", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: "title", value: "Changed" }, { op: "replace", path: "active", value: "nope" }), status: 400, scimType: "invalidValue" },
  { name: "PATCH with too many operations", method: "PATCH", path: () => `/Users/${userId}`, body: tooManyOps, status: 400, scimType: "tooMany" },
  { name: "PATCH with a stale If-Match", method: "PATCH", path: () => `/Users/${userId}`, body: () => patchBody({ op: "replace", path: "title", value: "x" }), options: () => ({ headers: { "If-Match": 'W/"99"' } }), status: 412 },
  { name: "PUT without userName", method: "PUT", path: () => `/Users/${userId}`, body: () => ({ active: false }), status: 400, scimType: "invalidValue" },
  { name: "group: an unknown member", method: "PATCH", path: () => `/Groups/${groupId}`, body: () => patchBody({ op: "add", path: "members", value: [{ value: "usr_doesnotexist" }] }), status: 400, scimType: "invalidValue" },
  { name: "group: a member without a value", method: "PATCH", path: () => `/Groups/${groupId}`, body: () => patchBody({ op: "replace", path: "members", value: [{ display: "who?" }] }), status: 400, scimType: "invalidValue" },
  { name: "group: rename then a bad member (all or nothing)", method: "PATCH", path: () => `/Groups/${groupId}`, body: () => patchBody({ op: "replace", value: { displayName: "Renamed" } }, { op: "add", path: "members", value: [{ value: groupId }] }), status: 400, scimType: "invalidValue" },
  { name: "group: editing a member in place", method: "PATCH", path: () => `/Groups/${groupId}`, body: () => patchBody({ op: "replace", path: `members[value eq "${userId}"].display`, value: "x" }), status: 400, scimType: "invalidPath" },
  { name: "group without displayName", method: "POST", path: () => "/Groups", body: () => ({ members: [] }), status: 400, scimType: "invalidValue" },
  { name: "an unknown user id", method: "GET", path: () => "/Users/usr_nope", status: 404 },
  { name: "deleting an unknown group", method: "DELETE", path: () => "/Groups/grp_nope", status: 404 },
  { name: "an unknown SCIM endpoint", method: "GET", path: () => "/Widgets", status: 404 },
  { name: "DELETE on the Users collection", method: "DELETE", path: () => "/Users", status: 405 },
  { name: "POST to a user", method: "POST", path: () => `/Users/${userId}`, body: () => ({}), status: 405 },
];

describe("bad input: SCIM error, nothing written", () => {
  it.each(cases)("$name → $status $scimType", async (testCase) => {
    const before = await snapshot();
    const reply = await scim(tenant, testCase.method, testCase.path(), testCase.body?.(), testCase.options?.() ?? {});
    expect(reply.status).toBe(testCase.status);
    expect(reply.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(reply.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(reply.body.status).toBe(String(testCase.status));
    if (testCase.scimType) expect(reply.body.scimType).toBe(testCase.scimType);
    else expect(reply.body).not.toHaveProperty("scimType");
    expect(reply.body.detail).toEqual(expect.any(String));
    expect(reply.body.detail).not.toMatch(/at \w+ \(|TypeError|SQLITE|D1_/); // no stack traces or driver text
    expect(await snapshot()).toBe(before);
  });
});

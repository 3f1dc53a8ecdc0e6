import { describe, expect, it } from "vitest";
import { planGroupPatch } from "../../src/scim/group-members";
import { applyPatch, parsePatchRequest, type PatchOperation } from "../../src/scim/patch";
import { prepareUser } from "../../src/scim/resources";
import type { JsonValue } from "../../src/lib/json";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const base = () => ({
  userName: "ada@acme.test",
  externalId: "00u1",
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [{ value: "ada@acme.test", type: "work", primary: true }],
  active: true,
  roles: [{ value: "member" }],
});

function ops(...operations: unknown[]): PatchOperation[] {
  const parsed = parsePatchRequest({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations } as JsonValue);
  if (!parsed.ok) throw new Error(parsed.error.detail);
  return parsed.value;
}

function patched(...operations: unknown[]) {
  const result = applyPatch("User", base(), ops(...operations));
  if (!result.ok) throw new Error(result.error.detail);
  const prepared = prepareUser(result.value);
  if (!prepared.ok) throw new Error(prepared.error.detail);
  return prepared.value.data;
}

describe("PATCH dialects", () => {
  it("Okta catalog apps: pathless replace of active changes only active", () => {
    const data = patched({ op: "replace", value: { active: false } });
    expect(data).toEqual({ ...base(), active: false });
  });

  it("Entra: capitalised op, string boolean", () => {
    expect(patched({ op: "Replace", path: "active", value: "False" }).active).toBe(false);
    expect(patched({ op: "Replace", path: "active", value: "True" }).active).toBe(true);
  });

  it("Entra: pathless replace with dotted keys and an extension path as a key", () => {
    const data = patched({
      op: "Replace",
      value: { "name.givenName": "Augusta", [`${ENTERPRISE}:department`]: "Analytical Engines", displayName: "Augusta Ada" },
    });
    expect(data.name).toEqual({ givenName: "Augusta", familyName: "Lovelace" });
    expect(data[ENTERPRISE]).toEqual({ department: "Analytical Engines" });
    expect(data.displayName).toBe("Augusta Ada");
  });

  it("Entra: adds an email through a value filter when none matches (builds it from the filter)", () => {
    const data = patched({ op: "Add", path: 'emails[type eq "home"].value', value: "ada@home.test" });
    expect(data.emails).toEqual([
      { value: "ada@acme.test", type: "work", primary: true },
      { type: "home", value: "ada@home.test" },
    ]);
  });

  it("replaces a matched element's sub-attribute", () => {
    const data = patched({ op: "replace", path: 'emails[type eq "work"].value', value: "ada@new.test" });
    expect(data.emails).toEqual([{ value: "ada@new.test", type: "work", primary: true }]);
  });

  it("extension paths, manager.value, and the extension URN as a path", () => {
    const data = patched(
      { op: "add", path: `${ENTERPRISE}:manager.value`, value: "usr_boss" },
      { op: "add", path: ENTERPRISE, value: { employeeNumber: "42" } },
    );
    expect(data[ENTERPRISE]).toEqual({ manager: { value: "usr_boss" }, employeeNumber: "42" });
  });

  it("add to a multi-valued attribute appends without duplicates; remove with a value list removes just those", () => {
    const added = patched({ op: "add", path: "roles", value: [{ value: "member" }, { value: "admin" }] });
    expect(added.roles).toEqual([{ value: "member" }, { value: "admin" }]);
    const result = applyPatch("User", { ...base(), roles: [{ value: "a" }, { value: "b" }, { value: "c" }] }, ops({ op: "remove", path: "roles", value: [{ value: "b" }] }));
    expect(result.ok && result.value.roles).toEqual([{ value: "a" }, { value: "c" }]);
  });

  it("remove with a filter removes matching elements; no match is not an error", () => {
    expect(patched({ op: "remove", path: 'emails[type eq "work"]' }).emails).toBeUndefined();
    expect(patched({ op: "remove", path: 'emails[type eq "other"]' }).emails).toHaveLength(1);
  });

  it("is all or nothing: a bad later operation leaves the input untouched", () => {
    const input = base();
    const result = applyPatch("User", input, ops({ op: "replace", path: "active", value: false }, { op: "replace", path: "id", value: "x" }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status: 400, scimType: "mutability" });
    expect(input.active).toBe(true);
  });

  it("replace with a value filter that matches nothing and is not an equality is noTarget", () => {
    const result = applyPatch("User", base(), ops({ op: "replace", path: 'emails[value co "zzz"].type', value: "home" }));
    expect(!result.ok && result.error.scimType).toBe("noTarget");
  });

  it("discards password changes", () => {
    expect(patched({ op: "replace", path: "password", value: "new-secret" })).not.toHaveProperty("password");
  });
});

describe("PatchOp envelope", () => {
  it.each([
    [{ Operations: [{ op: "add", path: "x", value: 1 }] }, "invalidSyntax"],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] }, "invalidSyntax"],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "move", path: "x" }] }, "invalidSyntax"],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove" }] }, "noTarget"],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "x" }] }, "invalidSyntax"],
    [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "", value: 1 }] }, "invalidPath"],
    [[], "invalidSyntax"],
  ])("%j → %s", (body, scimType) => {
    const parsed = parsePatchRequest(body as never);
    expect(!parsed.ok && parsed.error.scimType).toBe(scimType);
  });
});

describe("group membership plans", () => {
  it("Okta: remove by filter and add a list in one request", () => {
    const plan = planGroupPatch(
      ops(
        { op: "remove", path: 'members[value eq "usr_a"]' },
        { op: "add", path: "members", value: [{ value: "usr_b" }, { value: "usr_c" }] },
        { op: "replace", value: { id: "grp_1", displayName: "Engineering" } },
      ),
    );
    expect(plan.ok && plan.value).toEqual({
      attributeOperations: [{ op: "replace", value: { id: "grp_1", displayName: "Engineering" } }],
      memberSteps: [
        { kind: "remove", ids: ["usr_a"] },
        { kind: "add", ids: ["usr_b", "usr_c"] },
      ],
    });
  });

  it("Entra: remove with a value list removes those members, not all of them", () => {
    const plan = planGroupPatch(ops({ op: "Remove", path: "members", value: [{ value: "usr_a" }] }));
    expect(plan.ok && plan.value.memberSteps).toEqual([{ kind: "remove", ids: ["usr_a"] }]);
  });

  it("remove of members without a value clears the group; replace sets it", () => {
    const plan = planGroupPatch(ops({ op: "remove", path: "members" }, { op: "replace", path: "members", value: [{ value: "usr_z" }] }));
    expect(plan.ok && plan.value.memberSteps).toEqual([{ kind: "removeAll" }, { kind: "replace", ids: ["usr_z"] }]);
  });

  it("rejects editing a member in place and members without a value", () => {
    const edit = planGroupPatch(ops({ op: "replace", path: 'members[value eq "usr_a"].display', value: "x" }));
    expect(!edit.ok && edit.error.scimType).toBe("invalidPath");
    const missing = planGroupPatch(ops({ op: "add", path: "members", value: [{ display: "no id" }] }));
    expect(!missing.ok && missing.error.scimType).toBe("invalidValue");
  });
});

/**
 * Group membership changes from a PATCH, kept apart from the group's other attributes: members live in their own
 * table, and a group may have tens of thousands of them, so a change is planned as steps (add these ids, remove
 * those) instead of rewriting a member array. Pure.
 *
 * Shapes handled (DESIGN.md, IdP dialects): Okta's `remove` with `members[value eq "id"]` and `add` with a member
 * array in one request; a full `replace` of members; Entra's `remove` of `members` with a `value` list (removes
 * just those — an empty or missing list there is never read as "remove everyone" unless no value is given at all,
 * which RFC 7644 §3.5.2.2 defines as clearing the attribute).
 */
import { findKeyInsensitive, isPlainObject, type JsonValue } from "../lib/json";
import { parsePatchPath, type Filter } from "./filter";
import { scimTypeError, type ScimError } from "./errors";
import type { PatchOperation, PatchResult } from "./patch";

export type MemberStep =
  | { kind: "add"; ids: string[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "replace"; ids: string[] }
  | { kind: "removeAll" }
  /** A filter other than `value eq "…"` (or an `or` of those): evaluated against the current members. */
  | { kind: "removeWhere"; filter: Filter };

export interface GroupPatchPlan {
  attributeOperations: PatchOperation[];
  memberSteps: MemberStep[];
}

/** Reads member ids out of `[{"value": "usr_…"}, …]` (a bare id string is accepted too). */
export function parseMemberIds(value: JsonValue | undefined, where: string): PatchResult<string[]> {
  const items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  for (const [index, item] of items.entries()) {
    let id: JsonValue | undefined = item;
    if (isPlainObject(item)) {
      const key = findKeyInsensitive(item, "value");
      id = key === undefined ? undefined : item[key];
    }
    if (typeof id !== "string" || id === "") {
      return { ok: false, error: scimTypeError("invalidValue", `${where}[${index}] must have a "value" with the member's id.`) };
    }
    ids.push(id);
  }
  return { ok: true, value: [...new Set(ids)] };
}

/** `value eq "a"` or `value eq "a" or value eq "b"` → ["a", "b"]; null for other filters. */
function idsFromFilter(filter: Filter): string[] | null {
  if (filter.kind === "compare" && filter.operator === "eq" && filter.path.attribute.toLowerCase() === "value" && !filter.path.subAttribute && typeof filter.value === "string") {
    return [filter.value];
  }
  if (filter.kind === "or") {
    const left = idsFromFilter(filter.left);
    const right = idsFromFilter(filter.right);
    return left && right ? [...left, ...right] : null;
  }
  return null;
}

const isMembersPath = (path: string) => /^members$/i.test(path) || /^urn:ietf:params:scim:schemas:core:2\.0:group:members$/i.test(path);

export function planGroupPatch(operations: readonly PatchOperation[]): PatchResult<GroupPatchPlan> {
  const plan: GroupPatchPlan = { attributeOperations: [], memberSteps: [] };
  const fail = (index: number, error: ScimError) => ({ ok: false as const, error: { ...error, detail: `Operations[${index}]: ${error.detail}` } });
  for (const [index, operation] of operations.entries()) {
    const where = `Operations[${index}].value`;
    if (operation.path === undefined) {
      // Pathless add/replace: a `members` key is a membership change; the rest are attribute changes.
      if (!isPlainObject(operation.value)) return fail(index, scimTypeError("invalidSyntax", 'a pathless operation needs an object "value".'));
      const membersKey = findKeyInsensitive(operation.value, "members");
      if (membersKey !== undefined) {
        const ids = parseMemberIds(operation.value[membersKey], `${where}.members`);
        if (!ids.ok) return ids;
        plan.memberSteps.push({ kind: operation.op === "replace" ? "replace" : "add", ids: ids.value });
        const rest = { ...operation.value };
        delete rest[membersKey];
        if (Object.keys(rest).length) plan.attributeOperations.push({ ...operation, value: rest });
      } else {
        plan.attributeOperations.push(operation);
      }
      continue;
    }
    if (isMembersPath(operation.path)) {
      if (operation.op === "remove" && (operation.value === undefined || operation.value === null)) {
        plan.memberSteps.push({ kind: "removeAll" });
        continue;
      }
      const ids = parseMemberIds(operation.value, where);
      if (!ids.ok) return ids;
      plan.memberSteps.push({ kind: operation.op, ids: ids.value });
      continue;
    }
    if (/^members\s*\[/i.test(operation.path)) {
      const parsed = parsePatchPath(operation.path);
      if (!parsed.ok) return fail(index, scimTypeError("invalidPath", parsed.detail));
      if (operation.op !== "remove" || parsed.value.subAttribute) {
        return fail(index, scimTypeError("invalidPath", `"${operation.path}": members can be added, removed or replaced, not edited in place.`));
      }
      const ids = idsFromFilter(parsed.value.filter!);
      plan.memberSteps.push(ids ? { kind: "remove", ids } : { kind: "removeWhere", filter: parsed.value.filter! });
      continue;
    }
    if (/^members\./i.test(operation.path)) {
      return fail(index, scimTypeError("invalidPath", `"${operation.path}": members can be added, removed or replaced, not edited in place.`));
    }
    plan.attributeOperations.push(operation);
  }
  return { ok: true, value: plan };
}

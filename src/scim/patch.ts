/**
 * SCIM PATCH (RFC 7644 §3.5.2) over a resource held as plain JSON. Pure: the resource and the operations in,
 * the patched resource (or a typed error) out. All operations apply to a copy, so a request is all or nothing.
 *
 * Dialects accepted on one URL:
 *  - Okta catalog apps: pathless `replace` of `{"active": false}` — only the attributes named change.
 *  - Entra ID: capitalised ops (`Replace`), pathless values with dotted keys (`"name.givenName"`) and extension
 *    paths as keys, `add`/`replace` on `emails[type eq "work"].value` when no such email exists yet (it is created:
 *    Entra expects that, although §3.5.2.3 would answer noTarget), removals that name values in a list.
 */
import { cloneJson, deepEqual, findKeyInsensitive, isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { parsePatchPath, type AttributePath, type Filter, type PatchPath } from "./filter";
import { evaluateFilter, scopeRules, type ComparisonRules } from "./filter-evaluate";
import { scimTypeError, type ScimError } from "./errors";
import { findExtension, RESOURCE_TYPES, resolveDefinition, type ResourceKind } from "./schema/definitions";

export type PatchOperationKind = "add" | "remove" | "replace";

export interface PatchOperation {
  op: PatchOperationKind;
  path?: string;
  value?: JsonValue;
}

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** More operations than any IdP sends in one request; bounds the work one request can ask for. */
export const MAX_PATCH_OPERATIONS = 1000;

export type PatchResult<T> = { ok: true; value: T } | { ok: false; error: ScimError };

/** Validates the PatchOp envelope and normalises op names (Entra capitalises them). */
export function parsePatchRequest(body: JsonValue | undefined): PatchResult<PatchOperation[]> {
  if (!isPlainObject(body)) return invalid("invalidSyntax", "The PATCH body must be a JSON object.");
  const schemasKey = findKeyInsensitive(body, "schemas");
  const schemas = schemasKey ? body[schemasKey] : undefined;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    return invalid("invalidSyntax", `The PATCH body must list "${PATCH_OP_SCHEMA}" in "schemas".`);
  }
  const operationsKey = findKeyInsensitive(body, "Operations");
  const operations = operationsKey ? body[operationsKey] : undefined;
  if (!Array.isArray(operations) || operations.length === 0) {
    return invalid("invalidSyntax", 'The PATCH body must have a non-empty "Operations" array.');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    return invalid("tooMany", `A PATCH may carry at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  const parsed: PatchOperation[] = [];
  for (const [index, raw] of operations.entries()) {
    if (!isPlainObject(raw)) return invalid("invalidSyntax", `Operations[${index}] must be an object.`);
    const opKey = findKeyInsensitive(raw, "op");
    const op = opKey ? raw[opKey] : undefined;
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "remove" && name !== "replace") {
      return invalid("invalidSyntax", `Operations[${index}].op must be "add", "remove" or "replace".`);
    }
    const operation: PatchOperation = { op: name };
    const pathKey = findKeyInsensitive(raw, "path");
    const path = pathKey ? raw[pathKey] : undefined;
    if (path !== undefined && path !== null) {
      if (typeof path !== "string" || path.trim() === "") return invalid("invalidPath", `Operations[${index}].path must be a non-empty string.`);
      operation.path = path.trim();
    }
    const valueKey = findKeyInsensitive(raw, "value");
    if (valueKey !== undefined) operation.value = raw[valueKey]!;
    if (operation.op !== "remove" && operation.value === undefined) {
      return invalid("invalidSyntax", `Operations[${index}] (${operation.op}) needs a "value".`);
    }
    if (operation.op === "remove" && operation.path === undefined) {
      // RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
      return invalid("noTarget", `Operations[${index}] (remove) needs a "path".`);
    }
    parsed.push(operation);
  }
  return { ok: true, value: parsed };
}

function invalid(scimType: Parameters<typeof scimTypeError>[0], detail: string): { ok: false; error: ScimError } {
  return { ok: false, error: scimTypeError(scimType, detail) };
}

/** Comparison rules for a resource type, from its schema (caseExact, dateTime). */
export function comparisonRules(kind: ResourceKind): ComparisonRules {
  return {
    caseExact: (path) => resolveDefinition(kind, path)?.caseExact ?? false,
    isDateTime: (path) => resolveDefinition(kind, path)?.type === "dateTime",
  };
}

/** Applies operations to a copy of `resource`. The caller re-coerces the result (types, canonical names). */
export function applyPatch(kind: ResourceKind, resource: JsonObject, operations: readonly PatchOperation[]): PatchResult<JsonObject> {
  const working = cloneJson(resource);
  for (const [index, operation] of operations.entries()) {
    const result = operation.path === undefined ? applyPathless(kind, working, operation) : applyWithPath(kind, working, operation.op, operation.path, operation.value);
    if (result) return { ok: false, error: { ...result, detail: `Operations[${index}]: ${result.detail}` } };
  }
  return { ok: true, value: working };
}

/** A pathless add/replace: each key of the value object is a path of its own (RFC 7644 §3.5.2.1, §3.5.2.3). */
function applyPathless(kind: ResourceKind, resource: JsonObject, operation: PatchOperation): ScimError | undefined {
  if (!isPlainObject(operation.value)) return scimTypeError("invalidSyntax", 'a pathless operation needs an object "value".');
  for (const [key, value] of Object.entries(operation.value)) {
    const lower = key.toLowerCase();
    // Okta repeats `id` (and sometimes `schemas`) in pathless group replaces; they are not changes.
    if (lower === "schemas" || lower === "id" || lower === "meta") continue;
    if (/^urn:/i.test(key) && findExtension(kind, key) && isPlainObject(value)) {
      for (const [subKey, subValue] of Object.entries(value)) {
        const error = applyWithPath(kind, resource, operation.op, `${key}:${subKey}`, subValue);
        if (error) return error;
      }
      continue;
    }
    const error = applyWithPath(kind, resource, operation.op, key, value);
    if (error) return error;
  }
  return undefined;
}

/** The object that holds a path's attribute: the resource itself, or an extension object under its URN. */
function containerFor(kind: ResourceKind, resource: JsonObject, path: AttributePath, create: boolean): JsonObject | undefined {
  if (!path.schema || path.schema.toLowerCase() === RESOURCE_TYPES[kind].schema.toLowerCase()) return resource;
  const urn = findExtension(kind, path.schema) ?? path.schema;
  const key = findKeyInsensitive(resource, urn);
  if (key !== undefined && isPlainObject(resource[key])) return resource[key] as JsonObject;
  if (!create) return undefined;
  const created: JsonObject = {};
  resource[urn] = created;
  return created;
}

function canonicalName(kind: ResourceKind, path: AttributePath, container: JsonObject): string {
  return findKeyInsensitive(container, path.attribute) ?? resolveDefinition(kind, { ...path, subAttribute: undefined } as AttributePath)?.name ?? path.attribute;
}

function applyWithPath(kind: ResourceKind, resource: JsonObject, op: PatchOperationKind, pathText: string, value: JsonValue | undefined): ScimError | undefined {
  const wholeExtension = findExtension(kind, pathText);
  if (wholeExtension) {
    // `"path": "urn:…:enterprise:2.0:User"` with an object value: each key is an attribute of that extension.
    if (op === "remove") {
      delete resource[findKeyInsensitive(resource, wholeExtension) ?? wholeExtension];
      return undefined;
    }
    if (!isPlainObject(value)) return scimTypeError("invalidValue", `"${pathText}" needs an object value.`);
    for (const [key, subValue] of Object.entries(value)) {
      const error = applyWithPath(kind, resource, op, `${wholeExtension}:${key}`, subValue);
      if (error) return error;
    }
    return undefined;
  }
  const parsed = parsePatchPath(pathText);
  if (!parsed.ok) return scimTypeError("invalidPath", parsed.detail);
  const target = parsed.value;
  const topDefinition = resolveDefinition(kind, { ...target.path, subAttribute: undefined } as AttributePath);
  const leafDefinition = resolveDefinition(kind, { ...target.path, subAttribute: target.subAttribute ?? target.path.subAttribute } as AttributePath);
  if (topDefinition?.mutability === "readOnly" || leafDefinition?.mutability === "readOnly") {
    return scimTypeError("mutability", `"${pathText}" is read-only.`);
  }
  if (topDefinition?.name === "password") return undefined; // Accepted and discarded, like on create.
  const container = containerFor(kind, resource, target.path, op !== "remove");
  if (!container) return undefined; // Removing from an extension that is not there: nothing to do.
  const name = canonicalName(kind, target.path, container);
  if (target.filter) return applyToSelected(kind, container, name, target, op, value, pathText);
  if (target.path.subAttribute) return applyToSubAttribute(container, name, target.path.subAttribute, op, value, topDefinition?.multiValued ?? false);
  return applyToAttribute(container, name, op, value, topDefinition?.multiValued ?? Array.isArray(container[name]));
}

function applyToAttribute(container: JsonObject, name: string, op: PatchOperationKind, value: JsonValue | undefined, multiValued: boolean): ScimError | undefined {
  const current = container[name];
  if (op === "remove") {
    if (value !== undefined && value !== null && multiValued && Array.isArray(current)) {
      // Entra (and others) remove selected values by listing them: remove just those, never the whole attribute.
      const doomed = Array.isArray(value) ? value : [value];
      const kept = current.filter((item) => !doomed.some((d) => sameValue(item, d)));
      if (kept.length) container[name] = kept;
      else delete container[name];
      return undefined;
    }
    delete container[name];
    return undefined;
  }
  if (value === undefined) return scimTypeError("invalidSyntax", `"${op}" needs a value.`);
  if (multiValued) {
    const incoming = Array.isArray(value) ? value : [value];
    if (op === "replace" || !Array.isArray(current)) {
      container[name] = incoming;
      return undefined;
    }
    // add: append values not already present (RFC 7644 §3.5.2.1 — no duplicates).
    const merged = [...current];
    for (const item of incoming) if (!merged.some((existing) => sameValue(existing, item))) merged.push(item);
    container[name] = merged;
    return undefined;
  }
  if (isPlainObject(value) && isPlainObject(current)) {
    // A complex attribute: the sub-attributes given replace or add; the others are left as they are.
    for (const [key, subValue] of Object.entries(value)) current[findKeyInsensitive(current, key) ?? key] = subValue;
    return undefined;
  }
  container[name] = value;
  return undefined;
}

function applyToSubAttribute(container: JsonObject, name: string, sub: string, op: PatchOperationKind, value: JsonValue | undefined, multiValued: boolean): ScimError | undefined {
  const current = container[name];
  if (multiValued) {
    // `emails.display`: the sub-attribute of every element.
    if (!Array.isArray(current)) return op === "remove" ? undefined : scimTypeError("noTarget", `"${name}" has no values to set "${sub}" on.`);
    for (const element of current) if (isPlainObject(element)) setOrRemove(element, sub, op, value);
    return undefined;
  }
  if (op === "remove" && !isPlainObject(current)) return undefined;
  const parent: JsonObject = isPlainObject(current) ? current : {};
  container[name] = parent;
  setOrRemove(parent, sub, op, value);
  if (Object.keys(parent).length === 0) delete container[name];
  return undefined;
}

function setOrRemove(object: JsonObject, key: string, op: PatchOperationKind, value: JsonValue | undefined): void {
  const existing = findKeyInsensitive(object, key) ?? key;
  if (op === "remove") delete object[existing];
  else if (value !== undefined) object[existing] = value;
}

function applyToSelected(kind: ResourceKind, container: JsonObject, name: string, target: PatchPath, op: PatchOperationKind, value: JsonValue | undefined, pathText: string): ScimError | undefined {
  const rules = scopeRules(comparisonRules(kind), target.path);
  const current = container[name];
  const elements = Array.isArray(current) ? current : [];
  const matches = (element: JsonValue) => isPlainObject(element) && evaluateFilter(target.filter!, element, rules);
  if (op === "remove") {
    if (target.subAttribute) {
      for (const element of elements) if (matches(element)) setOrRemove(element as JsonObject, target.subAttribute, "remove", undefined);
    } else {
      const kept = elements.filter((element) => !matches(element));
      if (kept.length) container[name] = kept;
      else delete container[name];
    }
    return undefined;
  }
  const selected = elements.filter(matches);
  if (selected.length === 0) {
    // Entra adds `emails[type eq "work"].value` this way; build the element from the filter's equalities.
    const seed = equalitySeed(target.filter!);
    if (!seed) return scimTypeError("noTarget", `no value of "${name}" matches "${pathText}".`);
    const element: JsonObject = { ...seed };
    if (target.subAttribute) element[target.subAttribute] = value ?? null;
    else if (isPlainObject(value)) Object.assign(element, value);
    else return scimTypeError("invalidValue", `"${pathText}" needs an object value.`);
    container[name] = [...elements, element];
    return undefined;
  }
  for (const element of selected as JsonObject[]) {
    if (target.subAttribute) setOrRemove(element, target.subAttribute, "replace", value);
    else if (isPlainObject(value)) for (const [key, subValue] of Object.entries(value)) setOrRemove(element, key, "replace", subValue);
    else return scimTypeError("invalidValue", `"${pathText}" needs an object value.`);
  }
  return undefined;
}

/** `type eq "work" and primary eq true` → `{type: "work", primary: true}`; null for any other filter shape. */
function equalitySeed(filter: Filter): JsonObject | null {
  if (filter.kind === "compare" && filter.operator === "eq" && !filter.path.subAttribute && !filter.path.schema) {
    return { [filter.path.attribute]: filter.value };
  }
  if (filter.kind === "and") {
    const left = equalitySeed(filter.left);
    const right = equalitySeed(filter.right);
    return left && right ? { ...left, ...right } : null;
  }
  return null;
}

/** Two values of a multi-valued attribute are the same when equal, or when both are objects with equal `value`. */
function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (isPlainObject(a) && isPlainObject(b) && a.value !== undefined && b.value !== undefined) return deepEqual(a.value, b.value);
  return deepEqual(a, b);
}

/**
 * Evaluating a parsed SCIM filter (RFC 7644 §3.4.2.2) against one resource held as plain JSON. Pure. Attribute
 * names match case-insensitively (RFC 7643 §2.1); strings compare as the schema says (caseExact, dateTime).
 */
import { findKeyInsensitive, isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import type { AttributePath, CompareOperator, Filter, LiteralValue } from "./filter";

/** What the evaluator needs to know about an attribute to compare it the way its schema says. */
export interface ComparisonRules {
  /** Whether string comparison is case-sensitive (RFC 7643 §2.2 "caseExact"). */
  caseExact(path: AttributePath): boolean;
  /** Whether the attribute is a dateTime, compared as instants rather than text. */
  isDateTime(path: AttributePath): boolean;
}

/** The values an attribute path selects from a resource, flattened over multi-valued attributes. */
export function selectValues(resource: JsonObject, path: AttributePath, primarySchema?: string): JsonValue[] {
  let container: JsonValue | undefined = resource;
  if (path.schema && path.schema.toLowerCase() !== primarySchema?.toLowerCase()) {
    const key = findKeyInsensitive(resource, path.schema);
    container = key === undefined ? undefined : resource[key];
  }
  if (!isPlainObject(container)) return [];
  const key = findKeyInsensitive(container, path.attribute);
  if (key === undefined) return [];
  const top = container[key]!;
  const values = Array.isArray(top) ? top : [top];
  if (!path.subAttribute) return values.flatMap((value) => (Array.isArray(value) ? value : [value]));
  const sub = path.subAttribute;
  return values.flatMap((value) => {
    if (!isPlainObject(value)) return [];
    const subKey = findKeyInsensitive(value, sub);
    if (subKey === undefined) return [];
    const selected = value[subKey]!;
    return Array.isArray(selected) ? selected : [selected];
  });
}

function isPresent(value: JsonValue): boolean {
  if (value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

function compareOne(actual: JsonValue, operator: CompareOperator, expected: LiteralValue, caseExact: boolean, dateTime: boolean): boolean {
  if (expected === null) return operator === "ne" ? actual !== null : operator === "eq" && actual === null;
  if (typeof expected === "boolean") {
    if (operator === "eq") return actual === expected;
    if (operator === "ne") return actual !== expected;
    return false;
  }
  if (typeof expected === "number") {
    if (typeof actual !== "number") return operator === "ne";
    return compareOrdered(actual, expected, operator);
  }
  if (typeof actual !== "string") return operator === "ne";
  if (dateTime) {
    const left = Date.parse(actual);
    const right = Date.parse(expected);
    if (!Number.isNaN(left) && !Number.isNaN(right)) return compareOrdered(left, right, operator);
  }
  const left = caseExact ? actual : actual.toLowerCase();
  const right = caseExact ? expected : expected.toLowerCase();
  switch (operator) {
    case "co":
      return left.includes(right);
    case "sw":
      return left.startsWith(right);
    case "ew":
      return left.endsWith(right);
    default:
      return compareOrdered(left, right, operator);
  }
}

function compareOrdered<T extends string | number>(left: T, right: T, operator: CompareOperator): boolean {
  switch (operator) {
    case "eq":
      return left === right;
    case "ne":
      return left !== right;
    case "gt":
      return left > right;
    case "ge":
      return left >= right;
    case "lt":
      return left < right;
    case "le":
      return left <= right;
    default:
      return false;
  }
}

/**
 * Evaluates a filter against one resource. A comparison on a multi-valued attribute is true when any value
 * matches (RFC 7644 §3.4.2.2); `ne` is the negation of `eq` over the same values.
 */
export function evaluateFilter(filter: Filter, resource: JsonObject, rules: ComparisonRules, primarySchema?: string): boolean {
  switch (filter.kind) {
    case "and":
      return evaluateFilter(filter.left, resource, rules, primarySchema) && evaluateFilter(filter.right, resource, rules, primarySchema);
    case "or":
      return evaluateFilter(filter.left, resource, rules, primarySchema) || evaluateFilter(filter.right, resource, rules, primarySchema);
    case "not":
      return !evaluateFilter(filter.filter, resource, rules, primarySchema);
    case "present":
      return selectValues(resource, filter.path, primarySchema).some(isPresent);
    case "compare": {
      // `emails co "@acme.com"` on a complex attribute compares its `value` sub-attribute (RFC 7643 §2.4).
      const values = selectValues(resource, filter.path, primarySchema).map((value) =>
        isPlainObject(value) && value.value !== undefined ? value.value : value,
      );
      const caseExact = rules.caseExact(filter.path);
      const dateTime = rules.isDateTime(filter.path);
      if (filter.operator === "ne") {
        return !values.some((value) => compareOne(value, "eq", filter.value, caseExact, dateTime));
      }
      if (values.length === 0) return filter.operator === "eq" && filter.value === null;
      return values.some((value) => compareOne(value, filter.operator, filter.value, caseExact, dateTime));
    }
    case "valuePath": {
      const elements = selectValues(resource, { ...filter.path, subAttribute: undefined } as AttributePath, primarySchema);
      const scoped = scopeRules(rules, filter.path);
      return elements.some((element) => isPlainObject(element) && evaluateFilter(filter.filter, element, scoped));
    }
  }
}

/** Rules for a filter inside `attr[…]`, whose paths are sub-attributes of `attr`. */
export function scopeRules(rules: ComparisonRules, parent: AttributePath): ComparisonRules {
  const scope = (path: AttributePath): AttributePath => {
    const scoped: AttributePath = { attribute: parent.attribute, subAttribute: path.attribute };
    if (parent.schema) scoped.schema = parent.schema;
    return scoped;
  };
  return {
    caseExact: (path) => rules.caseExact(scope(path)),
    isDateTime: (path) => rules.isDateTime(scope(path)),
  };
}

/** Every attribute path a filter mentions (inner paths of `attr[…]` as `attr.sub`), for validation. */
export function filterPaths(filter: Filter): AttributePath[] {
  switch (filter.kind) {
    case "and":
    case "or":
      return [...filterPaths(filter.left), ...filterPaths(filter.right)];
    case "not":
      return filterPaths(filter.filter);
    case "present":
    case "compare":
      return [filter.path];
    case "valuePath":
      return filterPaths(filter.filter).map((inner) => {
        const path: AttributePath = { attribute: filter.path.attribute, subAttribute: inner.attribute };
        if (filter.path.schema) path.schema = filter.path.schema;
        return path;
      });
  }
}

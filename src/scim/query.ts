/**
 * List requests (RFC 7644 §3.4.2): filter, paging and attribute selection, parsed and checked before any query
 * runs. Also picks the indexed lookup a filter allows (`userName eq "…"`, what Okta sends before every create), so
 * the common case reads one row by index and the evaluator only confirms it.
 */
import { parseFilter, type Filter } from "./filter";
import { filterPaths } from "./filter-evaluate";
import { parseAttributeList, type Projection } from "./project";
import { scimTypeError, type ScimResult } from "./errors";
import { resolveDefinition, type ResourceKind } from "./schema/definitions";
import { foldKey } from "./resources";

/** ServiceProviderConfig `filter.maxResults`: the largest page we return. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;

export interface ListQuery {
  filter?: Filter;
  /** 1-based, as in SCIM. */
  startIndex: number;
  count: number;
  projection: Projection;
}

export interface ListParameters {
  filter?: string | null;
  startIndex?: string | number | null;
  count?: string | number | null;
  attributes?: string | null;
  excludedAttributes?: string | null;
}

function parseInteger(value: string | number | null | undefined, name: string): ScimResult<number | undefined> {
  if (value === null || value === undefined || value === "") return { ok: true, value: undefined };
  const number = typeof value === "number" ? value : /^-?\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(number)) return { ok: false, error: scimTypeError("invalidValue", `"${name}" must be an integer.`) };
  return { ok: true, value: number };
}

/** Attributes a filter cannot name: membership lives in its own table, and passwords are never stored. */
const UNFILTERABLE: Record<ResourceKind, string[]> = { User: ["groups", "password"], Group: ["members"] };

export function validateFilter(kind: ResourceKind, filter: Filter): ScimResult<Filter> {
  for (const path of filterPaths(filter)) {
    if (!path.schema && UNFILTERABLE[kind].includes(path.attribute.toLowerCase())) {
      return { ok: false, error: scimTypeError("invalidFilter", `Filtering ${kind}s on "${path.attribute}" is not supported.`) };
    }
    const definition = resolveDefinition(kind, path);
    if (!definition) continue; // Custom extension attributes are compared as sent.
    if (definition.type === "complex" && !definition.subAttributes?.some((sub) => sub.name === "value")) {
      return { ok: false, error: scimTypeError("invalidFilter", `"${path.attribute}" is complex: filter on one of its sub-attributes, such as "${path.attribute}.${definition.subAttributes?.[0]?.name ?? "value"}".`) };
    }
  }
  const booleanOrdering = findBooleanOrdering(kind, filter);
  if (booleanOrdering) return { ok: false, error: scimTypeError("invalidFilter", booleanOrdering) };
  return { ok: true, value: filter };
}

/** RFC 7644 §3.4.2.2: gt/ge/lt/le and co/sw/ew on a boolean fail with invalidFilter. */
function findBooleanOrdering(kind: ResourceKind, filter: Filter): string | null {
  switch (filter.kind) {
    case "and":
    case "or":
      return findBooleanOrdering(kind, filter.left) ?? findBooleanOrdering(kind, filter.right);
    case "not":
      return findBooleanOrdering(kind, filter.filter);
    case "valuePath":
      return null;
    case "present":
      return null;
    case "compare":
      if (filter.operator !== "eq" && filter.operator !== "ne" && resolveDefinition(kind, filter.path)?.type === "boolean") {
        return `"${filter.operator}" cannot compare the boolean "${filter.path.attribute}"; use eq or ne.`;
      }
      return null;
  }
}

export function parseListQuery(kind: ResourceKind, parameters: ListParameters): ScimResult<ListQuery> {
  const startIndex = parseInteger(parameters.startIndex, "startIndex");
  if (!startIndex.ok) return startIndex;
  const count = parseInteger(parameters.count, "count");
  if (!count.ok) return count;
  const attributes = parseAttributeList(parameters.attributes);
  const excluded = parseAttributeList(parameters.excludedAttributes);
  if (!attributes || !excluded) return { ok: false, error: scimTypeError("invalidValue", '"attributes" and "excludedAttributes" are comma-separated attribute paths.') };
  const query: ListQuery = {
    // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1; a negative count as 0.
    startIndex: Math.max(1, startIndex.value ?? 1),
    count: Math.min(MAX_PAGE_SIZE, Math.max(0, count.value ?? DEFAULT_PAGE_SIZE)),
    projection: { attributes, excluded },
  };
  if (parameters.filter !== undefined && parameters.filter !== null) {
    const parsed = parseFilter(parameters.filter);
    if (!parsed.ok) return { ok: false, error: scimTypeError("invalidFilter", parsed.detail) };
    const valid = validateFilter(kind, parsed.value);
    if (!valid.ok) return valid;
    query.filter = valid.value;
  }
  return { ok: true, value: query };
}

/** An indexed equality the filter implies: every match must have this column value. */
export type IndexedLookup =
  | { column: "id"; value: string }
  | { column: "nameKey"; value: string }
  | { column: "externalId"; value: string }
  | { column: "active"; value: boolean };

/** Finds an equality on an indexed column among the filter's top-level `and` terms. */
export function indexedLookup(kind: ResourceKind, filter: Filter): IndexedLookup | null {
  if (filter.kind === "and") return indexedLookup(kind, filter.left) ?? indexedLookup(kind, filter.right);
  if (filter.kind !== "compare" || filter.operator !== "eq" || filter.path.subAttribute) return null;
  if (filter.path.schema && resolveDefinition(kind, filter.path) === undefined) return null;
  const attribute = filter.path.attribute.toLowerCase();
  const nameAttribute = kind === "User" ? "username" : "displayname";
  if (typeof filter.value === "string") {
    if (attribute === "id") return { column: "id", value: filter.value };
    if (attribute === nameAttribute) return { column: "nameKey", value: foldKey(filter.value) };
    if (attribute === "externalid") return { column: "externalId", value: filter.value };
  }
  if (kind === "User" && attribute === "active" && typeof filter.value === "boolean") return { column: "active", value: filter.value };
  return null;
}

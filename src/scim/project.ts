/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a response carries.
 * `schemas` and `id` (returned "always", RFC 7643 §7) are never removed.
 */
import { findKeyInsensitive, isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { parsePatchPath, type AttributePath } from "./filter";

const ALWAYS_RETURNED = new Set(["schemas", "id"]);

export interface Projection {
  attributes: AttributePath[];
  excluded: AttributePath[];
}

/** Parses a comma-separated attribute list; returns null when an entry is not an attribute path. */
export function parseAttributeList(text: string | undefined | null): AttributePath[] | null {
  if (!text) return [];
  const paths: AttributePath[] = [];
  for (const part of text.split(",")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const parsed = parsePatchPath(trimmed);
    if (!parsed.ok || parsed.value.filter) return null;
    paths.push(parsed.value.path);
  }
  return paths;
}

/** Whether the projection leaves the named top-level attribute out (so the caller can skip loading it). */
export function excludesAttribute(projection: Projection, name: string): boolean {
  const lower = name.toLowerCase();
  if (projection.attributes.length > 0) return !projection.attributes.some((path) => !path.schema && path.attribute.toLowerCase() === lower);
  return projection.excluded.some((path) => !path.schema && !path.subAttribute && path.attribute.toLowerCase() === lower);
}

function containerKey(resource: JsonObject, path: AttributePath, primarySchema: string): string | null {
  if (!path.schema || path.schema.toLowerCase() === primarySchema.toLowerCase()) return null;
  return findKeyInsensitive(resource, path.schema) ?? "";
}

function pick(source: JsonObject, target: JsonObject, path: AttributePath): void {
  const key = findKeyInsensitive(source, path.attribute);
  if (key === undefined) return;
  const value = source[key]!;
  if (!path.subAttribute) {
    target[key] = value;
    return;
  }
  const sub = path.subAttribute;
  const pickSub = (item: JsonValue): JsonObject | undefined => {
    if (!isPlainObject(item)) return undefined;
    const subKey = findKeyInsensitive(item, sub);
    return subKey === undefined ? undefined : { [subKey]: item[subKey]! };
  };
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[key]) ? (target[key] as JsonObject[]) : value.map(() => ({}) as JsonObject);
    value.forEach((item, index) => Object.assign(existing[index]!, pickSub(item) ?? {}));
    target[key] = existing;
  } else {
    const picked = pickSub(value);
    if (picked) target[key] = { ...(isPlainObject(target[key]) ? (target[key] as JsonObject) : {}), ...picked };
  }
}

function drop(target: JsonObject, path: AttributePath): void {
  const key = findKeyInsensitive(target, path.attribute);
  if (key === undefined) return;
  if (!path.subAttribute) {
    delete target[key];
    return;
  }
  const items = Array.isArray(target[key]) ? (target[key] as JsonValue[]) : [target[key]!];
  for (const item of items) {
    if (!isPlainObject(item)) continue;
    const subKey = findKeyInsensitive(item, path.subAttribute);
    if (subKey !== undefined) delete item[subKey];
  }
}

export function projectResource(resource: JsonObject, projection: Projection, primarySchema: string): JsonObject {
  if (projection.attributes.length > 0) {
    const out: JsonObject = {};
    for (const key of Object.keys(resource)) if (ALWAYS_RETURNED.has(key)) out[key] = resource[key]!;
    for (const path of projection.attributes) {
      if (ALWAYS_RETURNED.has(path.attribute) && !path.schema) continue;
      const extension = containerKey(resource, path, primarySchema);
      if (extension === null) {
        pick(resource, out, path);
      } else if (extension && isPlainObject(resource[extension])) {
        const target = isPlainObject(out[extension]) ? (out[extension] as JsonObject) : {};
        pick(resource[extension] as JsonObject, target, path);
        if (Object.keys(target).length) out[extension] = target;
      }
    }
    return out;
  }
  if (projection.excluded.length === 0) return resource;
  const out = structuredClone(resource);
  for (const path of projection.excluded) {
    if (ALWAYS_RETURNED.has(path.attribute) && !path.schema) continue;
    const extension = containerKey(out, path, primarySchema);
    if (extension === null) drop(out, path);
    else if (extension && isPlainObject(out[extension])) drop(out[extension] as JsonObject, path);
  }
  return out;
}

/**
 * Turns what an IdP sends into the resource we store: canonical attribute names, values of the declared types,
 * read-only and write-only attributes dropped, unknown attributes and extensions kept as sent.
 *
 * Dialects handled here: Entra's string booleans (`"False"`), attribute names in any case, a single object where a
 * multi-valued attribute is declared. Okta's `password` is discarded (Gatehouse stores no passwords).
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../../lib/json";
import {
  COMMON_ATTRIBUTES,
  findAttribute,
  findExtension,
  RESOURCE_TYPES,
  SCHEMAS,
  type AttributeDefinition,
  type ResourceKind,
} from "./definitions";

export type CoerceResult<T> = { ok: true; value: T } | { ok: false; detail: string };

/** Attributes a client never sets: the server assigns them, or (password) they are never stored. */
const IGNORED_ON_WRITE = new Set(["id", "meta", "schemas", "password"]);

function fail(detail: string): { ok: false; detail: string } {
  return { ok: false, detail };
}

/** Coerces one value to an attribute's declared type (RFC 7643 §2.3). `null` means "unassigned". */
export function coerceValue(definition: AttributeDefinition, value: JsonValue, where: string): CoerceResult<JsonValue | undefined> {
  if (value === null) return { ok: true, value: undefined };
  if (definition.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out: JsonValue[] = [];
    for (const [index, item] of items.entries()) {
      const single = coerceSingle(definition, item, `${where}[${index}]`);
      if (!single.ok) return single;
      if (single.value !== undefined) out.push(single.value);
    }
    return { ok: true, value: out };
  }
  if (Array.isArray(value)) return fail(`"${where}" takes a single value, not a list.`);
  return coerceSingle(definition, value, where);
}

function coerceSingle(definition: AttributeDefinition, value: JsonValue, where: string): CoerceResult<JsonValue | undefined> {
  if (value === null) return { ok: true, value: undefined };
  switch (definition.type) {
    case "string":
    case "reference":
    case "binary":
      if (typeof value === "string") return { ok: true, value };
      if (typeof value === "number" || typeof value === "boolean") return { ok: true, value: String(value) };
      return fail(`"${where}" must be a string.`);
    case "dateTime":
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return { ok: true, value };
      return fail(`"${where}" must be an xsd:dateTime such as "2026-01-31T12:00:00Z".`);
    case "boolean":
      if (typeof value === "boolean") return { ok: true, value };
      // Entra ID sends booleans as strings ("True"/"False").
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return { ok: true, value: value.toLowerCase() === "true" };
      return fail(`"${where}" must be true or false.`);
    case "integer":
    case "decimal": {
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isFinite(number)) return fail(`"${where}" must be a number.`);
      if (definition.type === "integer" && !Number.isInteger(number)) return fail(`"${where}" must be a whole number.`);
      return { ok: true, value: number };
    }
    case "complex":
      if (!isPlainObject(value)) return fail(`"${where}" must be an object.`);
      return coerceObject(definition.subAttributes ?? [], value, where);
  }
}

/** Coerces an object's known keys by definition; unknown keys are kept as sent. */
function coerceObject(definitions: readonly AttributeDefinition[], input: JsonObject, where: string): CoerceResult<JsonObject> {
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(input)) {
    const definition = findAttribute(definitions, key);
    const name = definition?.name ?? key;
    if (!definition) {
      if (raw !== null) out[name] = raw;
      continue;
    }
    const coerced = coerceValue(definition, raw, where ? `${where}.${name}` : name);
    if (!coerced.ok) return coerced;
    if (coerced.value !== undefined) out[name] = coerced.value;
  }
  return { ok: true, value: out };
}

/**
 * Coerces a whole User or Group body. Returns the stored form: core attributes at the top level, extension
 * objects under their URN. Read-only attributes (`id`, `meta`, a User's `groups`) and `password` are dropped.
 */
export function coerceResource(kind: ResourceKind, body: JsonObject): CoerceResult<JsonObject> {
  const resourceType = RESOURCE_TYPES[kind];
  const core = SCHEMAS[resourceType.schema]!.attributes;
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(body)) {
    if (IGNORED_ON_WRITE.has(key.toLowerCase())) continue;
    if (/^urn:/i.test(key)) {
      if (key.toLowerCase() === resourceType.schema.toLowerCase()) {
        // Core attributes sent under the core URN: treat them as top-level ones.
        if (!isPlainObject(raw)) return fail(`"${key}" must be an object.`);
        const nested = coerceResource(kind, raw);
        if (!nested.ok) return nested;
        Object.assign(out, nested.value);
        continue;
      }
      const extension = findExtension(kind, key);
      if (raw === null) continue;
      if (!isPlainObject(raw)) return fail(`The extension "${key}" must be an object.`);
      if (!extension) {
        out[key] = raw;
        continue;
      }
      const coerced = coerceObject(SCHEMAS[extension]!.attributes, raw, extension);
      if (!coerced.ok) return coerced;
      if (Object.keys(coerced.value).length > 0) out[extension] = coerced.value;
      continue;
    }
    const definition = findAttribute(core, key) ?? findAttribute(COMMON_ATTRIBUTES, key);
    if (definition?.mutability === "readOnly") continue;
    const name = definition?.name ?? key;
    if (!definition) {
      if (raw !== null) out[name] = raw;
      continue;
    }
    const coerced = coerceValue(definition, raw, name);
    if (!coerced.ok) return coerced;
    if (coerced.value !== undefined) out[name] = coerced.value;
  }
  return { ok: true, value: out };
}

/**
 * Stored rows ⇄ SCIM resources. `prepare*` turns a coerced request body into the columns we index and the JSON we
 * keep; `render*` builds the resource an IdP reads back, with `meta` (RFC 7643 §3.1) and the ETag version.
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../lib/json";
import { coerceResource } from "./schema/coerce";
import { GROUP_SCHEMA, RESOURCE_TYPES, USER_SCHEMA, type ResourceKind } from "./schema/definitions";
import { scimTypeError, type ScimResult } from "./errors";
import { parseMemberIds } from "./group-members";

/** Folds a userName or group name for case-insensitive uniqueness (RFC 7643 §4.1.1: userName is not caseExact). */
/** The `value` of each entry of a stored user's SCIM `roles` (RFC 7643 §4.1.2), from its stored JSON. */
export function scimRoles(data: string): string[] {
  const parsed = JSON.parse(data) as unknown;
  const roles = isPlainObject(parsed) && Array.isArray(parsed.roles) ? parsed.roles : [];
  return roles.flatMap((role) => (isPlainObject(role) && typeof role.value === "string" ? [role.value] : []));
}

export function foldKey(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

export interface PreparedUser {
  data: JsonObject;
  userName: string;
  userNameKey: string;
  externalId: string | null;
  active: boolean;
  emailKey: string | null;
  displayName: string | null;
}

export interface PreparedGroup {
  data: JsonObject;
  displayName: string;
  displayNameKey: string;
  externalId: string | null;
  /** Present when the body carried `members` (a PUT/POST sets them exactly). */
  memberIds: string[] | undefined;
}

/** Longest userName / displayName kept: far above any real one, and it bounds index entries. */
const MAX_NAME_LENGTH = 512;

function primaryEmail(data: JsonObject): string | null {
  const emails = Array.isArray(data.emails) ? data.emails.filter(isPlainObject) : [];
  const chosen = emails.find((email) => email.primary === true) ?? emails[0];
  return chosen && typeof chosen.value === "string" ? foldKey(chosen.value) : null;
}

function displayNameOf(data: JsonObject): string | null {
  if (typeof data.displayName === "string" && data.displayName) return data.displayName;
  const name = isPlainObject(data.name) ? data.name : undefined;
  if (name && typeof name.formatted === "string" && name.formatted) return name.formatted;
  const parts = [name?.givenName, name?.familyName].filter((part): part is string => typeof part === "string" && part !== "");
  return parts.length ? parts.join(" ") : null;
}

function requiredName(value: JsonValue | undefined, attribute: string): ScimResult<string> {
  if (typeof value !== "string" || value.trim() === "") {
    return { ok: false, error: scimTypeError("invalidValue", `"${attribute}" is required and must be a non-empty string.`) };
  }
  if (value.length > MAX_NAME_LENGTH) {
    return { ok: false, error: scimTypeError("invalidValue", `"${attribute}" is longer than ${MAX_NAME_LENGTH} characters.`) };
  }
  return { ok: true, value: value.trim() };
}

function optionalExternalId(data: JsonObject): ScimResult<string | null> {
  const value = data.externalId;
  if (value === undefined) return { ok: true, value: null };
  if (typeof value !== "string" || value.length > MAX_NAME_LENGTH) {
    return { ok: false, error: scimTypeError("invalidValue", `"externalId" must be a string of at most ${MAX_NAME_LENGTH} characters.`) };
  }
  return { ok: true, value };
}

export function prepareUser(body: JsonObject): ScimResult<PreparedUser> {
  const coerced = coerceResource("User", body);
  if (!coerced.ok) return { ok: false, error: scimTypeError("invalidValue", coerced.detail) };
  const data = coerced.value;
  const userName = requiredName(data.userName, "userName");
  if (!userName.ok) return userName;
  const externalId = optionalExternalId(data);
  if (!externalId.ok) return externalId;
  data.userName = userName.value;
  // RFC 7643 §4.1.1 leaves a missing `active` to the provider; a provisioned user is active unless told otherwise.
  if (typeof data.active !== "boolean") data.active = true;
  return {
    ok: true,
    value: {
      data,
      userName: userName.value,
      userNameKey: foldKey(userName.value),
      externalId: externalId.value,
      active: data.active as boolean,
      emailKey: primaryEmail(data),
      displayName: displayNameOf(data),
    },
  };
}

export function prepareGroup(body: JsonObject): ScimResult<PreparedGroup> {
  const coerced = coerceResource("Group", body);
  if (!coerced.ok) return { ok: false, error: scimTypeError("invalidValue", coerced.detail) };
  const data = coerced.value;
  const displayName = requiredName(data.displayName, "displayName");
  if (!displayName.ok) return displayName;
  const externalId = optionalExternalId(data);
  if (!externalId.ok) return externalId;
  data.displayName = displayName.value;
  let memberIds: string[] | undefined;
  if (data.members !== undefined) {
    const parsed = parseMemberIds(data.members, "members");
    if (!parsed.ok) return parsed;
    memberIds = parsed.value;
    delete data.members;
  }
  return {
    ok: true,
    value: { data, displayName: displayName.value, displayNameKey: foldKey(displayName.value), externalId: externalId.value, memberIds },
  };
}

export interface StoredResource {
  id: string;
  data: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

function meta(kind: ResourceKind, row: StoredResource, baseUrl: string): JsonObject {
  return {
    resourceType: kind,
    created: new Date(row.createdAt).toISOString(),
    lastModified: new Date(row.updatedAt).toISOString(),
    location: `${baseUrl}${RESOURCE_TYPES[kind].endpoint}/${row.id}`,
    version: etagOf(row.version),
  };
}

function schemasFor(primary: string, data: JsonObject): string[] {
  return [primary, ...Object.keys(data).filter((key) => /^urn:/i.test(key))];
}

export interface GroupRef {
  id: string;
  displayName: string;
}

export interface MemberRef {
  id: string;
  display: string | null;
}

export function renderUser(row: StoredResource, baseUrl: string, groups: GroupRef[] | undefined): JsonObject {
  const data = JSON.parse(row.data) as JsonObject;
  const { userName, externalId, ...rest } = data;
  const resource: JsonObject = { schemas: schemasFor(USER_SCHEMA, data), id: row.id };
  if (externalId !== undefined) resource.externalId = externalId;
  resource.userName = userName!;
  Object.assign(resource, rest);
  if (groups) {
    resource.groups = groups.map((group) => ({
      value: group.id,
      $ref: `${baseUrl}/Groups/${group.id}`,
      display: group.displayName,
      type: "direct",
    }));
  }
  resource.meta = meta("User", row, baseUrl);
  return resource;
}

export function renderGroup(row: StoredResource, baseUrl: string, members: MemberRef[] | undefined): JsonObject {
  const data = JSON.parse(row.data) as JsonObject;
  const { displayName, externalId, ...rest } = data;
  const resource: JsonObject = { schemas: schemasFor(GROUP_SCHEMA, data), id: row.id };
  if (externalId !== undefined) resource.externalId = externalId;
  resource.displayName = displayName!;
  Object.assign(resource, rest);
  if (members) {
    resource.members = members.map((member) => {
      const ref: JsonObject = { value: member.id, $ref: `${baseUrl}/Users/${member.id}`, type: "User" };
      if (member.display) ref.display = member.display;
      return ref;
    });
  }
  resource.meta = meta("Group", row, baseUrl);
  return resource;
}

/** The stored form of a rendered resource: what PATCH operates on before it is prepared again. */
export function storedFormOf(resource: JsonObject): JsonObject {
  const { schemas: _schemas, id: _id, meta: _meta, groups: _groups, ...rest } = resource;
  return rest;
}


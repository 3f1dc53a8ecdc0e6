/**
 * SCIM attribute definitions (RFC 7643 §7 and §8.7.1): the single source for the /Schemas endpoint, for type
 * coercion of what IdPs send, and for comparison rules in filters (caseExact, dateTime).
 */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: "none" | "server" | "global";
  subAttributes?: AttributeDefinition[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, "name" | "type">>;

function attribute(name: string, type: AttributeType, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description: "",
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

const text = (name: string, options: Options = {}) => attribute(name, "string", options);
const reference = (name: string, referenceTypes: string[], options: Options = {}) =>
  attribute(name, "reference", { referenceTypes, caseExact: true, ...options });
const complex = (name: string, subAttributes: AttributeDefinition[], options: Options = {}) =>
  attribute(name, "complex", { subAttributes, ...options });

/** The sub-attributes every multi-valued "plural" attribute shares (RFC 7643 §2.4). */
function plural(name: string, valueType: AttributeType, types: string[], extra: AttributeDefinition[] = []) {
  return complex(
    name,
    [
      attribute("value", valueType),
      text("display"),
      text("type", types.length ? { canonicalValues: types } : {}),
      attribute("primary", "boolean"),
      ...extra,
    ],
    { multiValued: true },
  );
}

const userAttributes: AttributeDefinition[] = [
  text("userName", { required: true, uniqueness: "server", description: "Unique identifier for the user, typically the email the IdP signs them in with." }),
  complex("name", [
    text("formatted"),
    text("familyName"),
    text("givenName"),
    text("middleName"),
    text("honorificPrefix"),
    text("honorificSuffix"),
  ]),
  text("displayName"),
  text("nickName"),
  reference("profileUrl", ["external"]),
  text("title"),
  text("userType"),
  text("preferredLanguage"),
  text("locale"),
  text("timezone"),
  attribute("active", "boolean", { description: "false once the IdP deactivates the user; sign-in then stops at once." }),
  text("password", { mutability: "writeOnly", returned: "never", description: "Accepted and discarded: Gatehouse stores no passwords." }),
  plural("emails", "string", ["work", "home", "other"]),
  plural("phoneNumbers", "string", ["work", "home", "mobile", "fax", "pager", "other"]),
  plural("ims", "string", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
  plural("photos", "reference", ["photo", "thumbnail"]),
  complex(
    "addresses",
    [
      text("formatted"),
      text("streetAddress"),
      text("locality"),
      text("region"),
      text("postalCode"),
      text("country"),
      text("type", { canonicalValues: ["work", "home", "other"] }),
      attribute("primary", "boolean"),
    ],
    { multiValued: true },
  ),
  complex(
    "groups",
    [
      text("value", { mutability: "readOnly" }),
      reference("$ref", ["User", "Group"], { mutability: "readOnly" }),
      text("display", { mutability: "readOnly" }),
      text("type", { mutability: "readOnly", canonicalValues: ["direct", "indirect"] }),
    ],
    { multiValued: true, mutability: "readOnly", description: "Groups the user belongs to; changed through the Group resource." },
  ),
  plural("entitlements", "string", []),
  plural("roles", "string", [], []),
  plural("x509Certificates", "binary", []),
];

const enterpriseUserAttributes: AttributeDefinition[] = [
  text("employeeNumber"),
  text("costCenter"),
  text("organization"),
  text("division"),
  text("department"),
  complex("manager", [text("value"), reference("$ref", ["User"]), text("displayName", { mutability: "readOnly" })]),
];

const groupAttributes: AttributeDefinition[] = [
  text("displayName", { required: true, uniqueness: "server", description: "Group name, unique within the tenant (case-insensitive)." }),
  complex(
    "members",
    [
      text("value", { mutability: "immutable" }),
      reference("$ref", ["User", "Group"], { mutability: "immutable" }),
      text("display", { mutability: "readOnly" }),
      text("type", { mutability: "immutable", canonicalValues: ["User"] }),
    ],
    { multiValued: true, description: "Users in the group." },
  ),
];

export const SCHEMAS: Record<string, SchemaDefinition> = {
  [USER_SCHEMA]: { id: USER_SCHEMA, name: "User", description: "User Account", attributes: userAttributes },
  [ENTERPRISE_USER_SCHEMA]: {
    id: ENTERPRISE_USER_SCHEMA,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: enterpriseUserAttributes,
  },
  [GROUP_SCHEMA]: { id: GROUP_SCHEMA, name: "Group", description: "Group", attributes: groupAttributes },
};

/** Attributes every resource has (RFC 7643 §3.1), outside any schema's attribute list. */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  text("id", { caseExact: true, mutability: "readOnly", returned: "always", uniqueness: "server" }),
  text("externalId", { caseExact: true }),
  complex(
    "meta",
    [
      text("resourceType", { caseExact: true, mutability: "readOnly" }),
      attribute("created", "dateTime", { mutability: "readOnly" }),
      attribute("lastModified", "dateTime", { mutability: "readOnly" }),
      reference("location", ["uri"], { mutability: "readOnly" }),
      text("version", { caseExact: true, mutability: "readOnly" }),
    ],
    { mutability: "readOnly" },
  ),
];

export type ResourceKind = "User" | "Group";

export interface ResourceTypeDefinition {
  kind: ResourceKind;
  endpoint: string;
  schema: string;
  extensions: string[];
}

export const RESOURCE_TYPES: Record<ResourceKind, ResourceTypeDefinition> = {
  User: { kind: "User", endpoint: "/Users", schema: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { kind: "Group", endpoint: "/Groups", schema: GROUP_SCHEMA, extensions: [] },
};

export function findAttribute(list: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const folded = name.toLowerCase();
  return list.find((definition) => definition.name.toLowerCase() === folded);
}

/** Finds an extension schema URN case-insensitively among a resource type's extensions. */
export function findExtension(kind: ResourceKind, urn: string): string | undefined {
  const folded = urn.toLowerCase();
  return RESOURCE_TYPES[kind].extensions.find((extension) => extension.toLowerCase() === folded);
}

/**
 * Looks up the definition for an attribute path (`userName`, `name.givenName`, `emails.value`, or an extension
 * path `urn:…:User:manager.value`) of a resource type. Unknown attributes (custom extensions) return undefined.
 */
export function resolveDefinition(kind: ResourceKind, path: { schema?: string; attribute: string; subAttribute?: string }) {
  const resource = RESOURCE_TYPES[kind];
  let top: AttributeDefinition | undefined;
  if (path.schema && path.schema.toLowerCase() !== resource.schema.toLowerCase()) {
    const extension = findExtension(kind, path.schema);
    top = extension ? findAttribute(SCHEMAS[extension]!.attributes, path.attribute) : undefined;
  } else {
    top = findAttribute(SCHEMAS[resource.schema]!.attributes, path.attribute) ?? findAttribute(COMMON_ATTRIBUTES, path.attribute);
  }
  if (!top || !path.subAttribute) return top;
  return top.subAttributes ? findAttribute(top.subAttributes, path.subAttribute) : undefined;
}

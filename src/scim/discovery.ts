/**
 * Discovery resources (RFC 7644 §4, RFC 7643 §5–7): what this server supports, described truthfully, so an IdP's
 * validator (Okta's Runscope suite, Entra's validator) sees exactly the behaviour it will get.
 */
import type { JsonObject } from "../lib/json";
import { MAX_PAGE_SIZE } from "./query";
import { COMMON_ATTRIBUTES, RESOURCE_TYPES, SCHEMAS, type AttributeDefinition, type ResourceKind } from "./schema/definitions";

const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authorization: Bearer <token> (Okta: HTTP Header). The bare token is accepted too.",
        primary: true,
      },
      { type: "httpbasic", name: "HTTP Basic", description: "Any username; the SCIM token as the password." },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceType(kind: ResourceKind, baseUrl: string): JsonObject {
  const type = RESOURCE_TYPES[kind];
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: kind,
    name: kind,
    endpoint: type.endpoint,
    description: kind === "User" ? "User Account" : "Group",
    schema: type.schema,
    schemaExtensions: type.extensions.map((schema) => ({ schema, required: false })),
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${kind}` },
  };
}

function describeAttribute(definition: AttributeDefinition): JsonObject {
  const out: JsonObject = {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
  };
  if (definition.canonicalValues) out.canonicalValues = definition.canonicalValues;
  if (definition.referenceTypes) out.referenceTypes = definition.referenceTypes;
  if (definition.subAttributes) out.subAttributes = definition.subAttributes.map(describeAttribute);
  return out;
}

export function schemaResource(id: string, baseUrl: string): JsonObject | undefined {
  const schema = Object.values(SCHEMAS).find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
  if (!schema) return undefined;
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.filter((a) => !COMMON_ATTRIBUTES.includes(a)).map(describeAttribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function listResponse(resources: JsonObject[], totalResults: number, startIndex: number): JsonObject {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, itemsPerPage: resources.length, startIndex, Resources: resources };
}

export function allSchemas(baseUrl: string): JsonObject[] {
  return Object.keys(SCHEMAS).map((id) => schemaResource(id, baseUrl)!);
}

export function allResourceTypes(baseUrl: string): JsonObject[] {
  return (Object.keys(RESOURCE_TYPES) as ResourceKind[]).map((kind) => resourceType(kind, baseUrl));
}

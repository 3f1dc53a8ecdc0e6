/**
 * SCIM 2.0 routes, mounted at `/okta/scim/v2` and `/okta/scim`. Thin: bound and parse the request, then reads go
 * to D1 and writes to the tenant's Durable Object; results map to the SCIM wire format in one place.
 */
import { Hono, type Context } from "hono";
import { openDatabase } from "../db/client";
import type { ScimEnv } from "../env";
import { MAX_SCIM_BODY_BYTES, readJsonBody } from "../http/body";
import { requireTenantHost } from "../http/host";
import { scimAuth, scimRateLimit } from "../http/scim-auth";
import { isPlainObject, type JsonValue } from "../lib/json";
import { tenantWriter } from "../tenant-do/stub";
import type { ScimWriteCommand } from "../tenant-do/tenant-do";
import { allResourceTypes, allSchemas, listResponse, resourceType, schemaResource, serviceProviderConfig } from "./discovery";
import { scimStatusError, scimTypeError, type ScimError } from "./errors";
import { excludesAttribute, projectResource } from "./project";
import { parseListQuery, type ListParameters } from "./query";
import { scimErrorResponse, scimResponse } from "./respond";
import { listResources, renderGroupById, renderUserById } from "./store";
import { notePatchBody, recordScimRequests } from "./request-log";
import { RESOURCE_TYPES, type ResourceKind } from "./schema/definitions";

type ScimContext = Context<ScimEnv>;

function baseUrlOf(c: ScimContext): string {
  return `${c.var.origin}${c.req.path.startsWith("/okta/scim/v2") ? "/okta/scim/v2" : "/okta/scim"}`;
}

const BODY_ERRORS: Record<"too_large" | "invalid_utf8" | "invalid_json", ScimError> = {
  too_large: scimStatusError(413, `The request body is larger than ${MAX_SCIM_BODY_BYTES} bytes.`),
  invalid_utf8: scimTypeError("invalidSyntax", "The request body is not valid UTF-8."),
  invalid_json: scimTypeError("invalidSyntax", "The request body is not valid JSON."),
};

async function readBody(c: ScimContext): Promise<{ ok: true; value: JsonValue } | { ok: false; response: Response }> {
  const body = await readJsonBody(c.req.raw, MAX_SCIM_BODY_BYTES);
  return body.ok ? body : { ok: false, response: scimErrorResponse(BODY_ERRORS[body.reason]) };
}

function methodNotAllowed(allow: string) {
  return () => scimErrorResponse(scimStatusError(405, `This endpoint supports ${allow} only.`), { Allow: allow });
}

async function write(c: ScimContext, command: ScimWriteCommand): Promise<Response> {
  const result = await tenantWriter(c.env, c.var.tenant.id).applyScimWrite(
    { tenantId: c.var.tenant.id, actor: `scim:${c.var.scimTokenId}`, requestId: c.var.requestId, baseUrl: baseUrlOf(c) },
    c.var.scimTokenHash,
    command,
  );
  if (!result.ok) return scimErrorResponse(result.error);
  const { status, resource, etag } = result.value;
  if (!resource) return scimResponse(status, null, etag ? { ETag: etag } : {});
  const meta = resource.meta as { version: string; location: string };
  const headers: Record<string, string> = { ETag: meta.version };
  if (status === 201) headers.Location = meta.location;
  return scimResponse(status, resource, headers);
}

function listParameters(source: (name: string) => string | undefined | null): ListParameters {
  return {
    filter: source("filter"),
    startIndex: source("startIndex"),
    count: source("count"),
    attributes: source("attributes"),
    excludedAttributes: source("excludedAttributes"),
  };
}

async function list(c: ScimContext, kind: ResourceKind, parameters: ListParameters): Promise<Response> {
  const query = parseListQuery(kind, parameters);
  if (!query.ok) return scimErrorResponse(query.error);
  const page = await listResources(openDatabase(c.env.DB), kind, c.var.tenant.id, query.value, baseUrlOf(c));
  return scimResponse(200, listResponse(page.resources, page.totalResults, query.value.startIndex));
}

/** POST /.search (RFC 7644 §3.4.3): the same query in a body, for filters too long for a URL. */
async function search(c: ScimContext, kind: ResourceKind): Promise<Response> {
  const body = await readBody(c);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return scimErrorResponse(scimTypeError("invalidSyntax", "The search body must be a JSON object."));
  const request = body.value;
  const pick = (name: string) => {
    const value = request[name];
    if (Array.isArray(value)) return value.filter((item) => typeof item === "string").join(",");
    return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
  };
  return list(c, kind, listParameters(pick));
}

async function readOne(c: ScimContext, kind: ResourceKind): Promise<Response> {
  const parsed = parseListQuery(kind, listParameters((name) => c.req.query(name)));
  if (!parsed.ok) return scimErrorResponse(parsed.error);
  const projection = parsed.value.projection;
  const db = openDatabase(c.env.DB);
  const id = c.req.param("id")!;
  const resource =
    kind === "User"
      ? await renderUserById(db, c.var.tenant.id, id, baseUrlOf(c))
      : await renderGroupById(db, c.var.tenant.id, id, baseUrlOf(c), !excludesAttribute(projection, "members"));
  if (!resource) return scimErrorResponse(scimStatusError(404, `No ${kind.toLowerCase()} with id "${id}" in this tenant.`));
  const etag = (resource.meta as { version: string }).version;
  if (c.req.header("if-none-match")?.split(",").some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers: { ETag: etag } });
  return scimResponse(200, projectResource(resource, projection, RESOURCE_TYPES[kind].schema), { ETag: etag });
}

function resourceRoutes(kind: ResourceKind) {
  const routes = new Hono<ScimEnv>();
  const noun = kind;
  routes.get("/", (c) => list(c, kind, listParameters((name) => c.req.query(name))));
  routes.post("/", async (c) => {
    const body = await readBody(c);
    return body.ok ? write(c, { action: `create${noun}`, body: body.value }) : body.response;
  });
  routes.post("/.search", (c) => search(c, kind));
  routes.all("/", methodNotAllowed("GET, POST"));
  routes.get("/:id", (c) => readOne(c, kind));
  routes.put("/:id", async (c) => {
    const body = await readBody(c);
    return body.ok ? write(c, { action: `replace${noun}`, id: c.req.param("id"), body: body.value, ifMatch: c.req.header("if-match") }) : body.response;
  });
  routes.patch("/:id", async (c) => {
    const body = await readBody(c);
    if (body.ok) notePatchBody(c, body.value);
    return body.ok ? write(c, { action: `patch${noun}`, id: c.req.param("id"), body: body.value, ifMatch: c.req.header("if-match") }) : body.response;
  });
  routes.delete("/:id", (c) => write(c, { action: `delete${noun}`, id: c.req.param("id"), ifMatch: c.req.header("if-match") }));
  routes.all("/:id", methodNotAllowed("GET, PUT, PATCH, DELETE"));
  return routes;
}

export function scimRoutes() {
  const scim = new Hono<ScimEnv>();
  // The request log wraps everything, so refusals (404, 429, 401) are recorded too.
  scim.use(recordScimRequests, requireTenantHost, scimRateLimit, scimAuth);
  scim.get("/ServiceProviderConfig", (c) => scimResponse(200, serviceProviderConfig(baseUrlOf(c))));
  scim.all("/ServiceProviderConfig", methodNotAllowed("GET"));
  scim.get("/Schemas", (c) => {
    const schemas = allSchemas(baseUrlOf(c));
    return scimResponse(200, listResponse(schemas, schemas.length, 1));
  });
  scim.get("/Schemas/:id", (c) => {
    const schema = schemaResource(c.req.param("id"), baseUrlOf(c));
    return schema ? scimResponse(200, schema) : scimErrorResponse(scimStatusError(404, "No such schema."));
  });
  scim.all("/Schemas/*", methodNotAllowed("GET"));
  scim.all("/Schemas", methodNotAllowed("GET"));
  scim.get("/ResourceTypes", (c) => {
    const types = allResourceTypes(baseUrlOf(c));
    return scimResponse(200, listResponse(types, types.length, 1));
  });
  scim.get("/ResourceTypes/:id", (c) => {
    const id = c.req.param("id");
    const kind = (Object.keys(RESOURCE_TYPES) as ResourceKind[]).find((name) => name.toLowerCase() === id.toLowerCase());
    return kind ? scimResponse(200, resourceType(kind, baseUrlOf(c))) : scimErrorResponse(scimStatusError(404, "No such resource type."));
  });
  scim.all("/ResourceTypes/*", methodNotAllowed("GET"));
  scim.all("/ResourceTypes", methodNotAllowed("GET"));
  scim.route("/Users", resourceRoutes("User"));
  scim.route("/Groups", resourceRoutes("Group"));
  // The end of the line under this mount: without it an unknown `/okta/scim/v2/…` path would fall through to the
  // `/okta/scim` mount and pass rate limiting, authentication and the request log a second time.
  scim.all("*", () => scimErrorResponse(scimStatusError(404, "Not found.")));
  return scim;
}

/** Test helpers that go through the real worker (SELF.fetch) exactly as the CLI and an IdP would. */
import { env, SELF } from "cloudflare:test";

export const OPERATOR_TOKEN = env.OPERATOR_TOKEN!;

export interface TestTenant {
  id: string;
  slug: string;
  origin: string;
  scimBaseUrl: string;
  token: string;
}

let counter = 0;

export function uniqueSlug(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function operator(method: string, path: string, body?: unknown, token = OPERATOR_TOKEN): Promise<{ status: number; body: any }> {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await SELF.fetch(`http://localhost/_operator${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A fresh tenant with a SCIM token (or, with `{ scimToken: false }`, none yet: `token` is then ""). */
export async function createTestTenant(prefix = "t", options: { scimToken?: boolean } = {}): Promise<TestTenant> {
  const slug = uniqueSlug(prefix);
  const created = await operator("POST", "/tenants", { slug, name: `Tenant ${slug}` });
  if (created.status !== 201) throw new Error(`tenant create failed: ${created.status} ${JSON.stringify(created.body)}`);
  if (options.scimToken === false) return { id: created.body.id, slug, origin: created.body.origin, scimBaseUrl: created.body.scimBaseUrl, token: "" };
  const issued = await operator("POST", `/tenants/${slug}/scim-tokens`, {});
  if (issued.status !== 201) throw new Error(`token issue failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  return { id: created.body.id, slug, origin: created.body.origin, scimBaseUrl: created.body.scimBaseUrl, token: issued.body.token };
}

export interface ScimReply {
  status: number;
  body: any;
  headers: Headers;
}

export interface ScimOptions {
  headers?: Record<string, string>;
  /** Send exactly this as the body instead of JSON-encoding `body`. */
  raw?: string | Uint8Array;
  base?: "/okta/scim/v2" | "/okta/scim";
}

/** One SCIM request to a tenant, authenticated with its token unless `headers.Authorization` overrides it. */
export async function scim(tenant: TestTenant, method: string, path: string, body?: unknown, options: ScimOptions = {}): Promise<ScimReply> {
  const headers: Record<string, string> = { Authorization: `Bearer ${tenant.token}`, ...options.headers };
  let payload: string | Uint8Array | undefined = options.raw;
  if (payload === undefined && body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] ??= "application/scim+json";
  }
  const response = await SELF.fetch(`http://${tenant.slug}.localhost${options.base ?? "/okta/scim/v2"}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export { oktaUser } from "../support/scim-bodies";

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export function patchBody(...operations: unknown[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

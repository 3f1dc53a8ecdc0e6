/**
 * The operator API (`/_operator/*` on the apex or operator host), used by the `gatehouse` CLI. JSON in, JSON out;
 * errors are `{"error": "…", "code": "snake_case"}` with a fitting status.
 */
import { Hono, type Context } from "hono";
import { openDatabase } from "../db/client";
import type { AppEnv } from "../env";
import { readBodyText } from "../http/body";
import { operatorAuth, operatorError } from "../http/operator-auth";
import { isPlainObject, parseJson, type JsonObject } from "../lib/json";
import { tenantWriter } from "../tenant-do/stub";
import type { WriteMeta } from "../tenant-do/tenant-do";
import { describeSettings, validateSamlSettings } from "../saml/connection";
import { loadSamlSettings } from "../saml/settings-store";
import { describeOidcSettings } from "../oidc/connection";
import { validateOidcConnection } from "../oidc/discovery";
import { loadOidcSettings } from "../oidc/settings-store";
import { listAttempts } from "../saml/attempts";
import { listJobs } from "../provisioning/job-rows";
import { listEvents, summariseDeliveries } from "../events/outbox-store";
import { validateWebhookUrl } from "../events/webhook-url";
import { findWebhook } from "../events/webhooks";
import { forgetTenant } from "./cache";
import { listApiKeys } from "./api-keys";
import { listTokens, MAX_GRACE_SECONDS } from "./scim-tokens";
import { createTenant, findTenantBySlug, listTenants, tenantInfo, type TenantRow } from "./service";
import { tenantOrigin, tenantUrls } from "./urls";

const MAX_OPERATOR_BODY_BYTES = 256 * 1024;

type OperatorContext = Context<AppEnv>;

function originOf(c: OperatorContext, slug: string): string {
  return tenantOrigin(c.var.config, slug, new URL(c.req.url));
}

/** The request's JSON object; an empty body reads as `{}` (every field of every operator call is optional or checked). */
async function jsonBody(c: OperatorContext): Promise<JsonObject | Response> {
  const text = await readBodyText(c.req.raw, MAX_OPERATOR_BODY_BYTES);
  if (!text.ok) return operatorError(text.reason === "too_large" ? 413 : 400, "invalid_body", "The body must be a UTF-8 JSON object of at most 256 KB.");
  if (text.value.trim() === "") return {};
  const value = parseJson(text.value);
  if (!isPlainObject(value)) return operatorError(400, "invalid_body", "The body must be a JSON object.");
  return value;
}

async function tenantOr404(c: OperatorContext): Promise<TenantRow | Response> {
  const tenant = await findTenantBySlug(openDatabase(c.env.DB), c.req.param("slug") ?? "");
  return tenant ?? operatorError(404, "tenant_not_found", `No tenant "${c.req.param("slug")}".`);
}

function tenantStub(c: OperatorContext, tenant: TenantRow) {
  return tenantWriter(c.env, tenant.id);
}

function operatorMeta(c: OperatorContext, tenant: TenantRow): WriteMeta {
  return { tenantId: tenant.id, actor: "operator", requestId: c.var.requestId, baseUrl: tenantUrls(originOf(c, tenant.slug)).scimBaseUrl };
}

export function operatorRoutes() {
  const operator = new Hono<AppEnv>();
  operator.use(operatorAuth);

  operator.get("/tenants", async (c) => {
    const rows = await listTenants(openDatabase(c.env.DB));
    return c.json({ tenants: rows.map((row) => tenantInfo(row, originOf(c, row.slug))) });
  });

  operator.post("/tenants", async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const result = await createTenant(openDatabase(c.env.DB), { slug: body.slug, name: body.name }, Date.now());
    if (!result.ok) return operatorError(result.code === "tenant_exists" ? 409 : 400, result.code, result.message);
    forgetTenant(result.tenant.slug);
    return c.json(tenantInfo(result.tenant, originOf(c, result.tenant.slug)), 201);
  });

  operator.get("/tenants/:slug", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    return c.json(tenantInfo(tenant, originOf(c, tenant.slug)));
  });

  operator.delete("/tenants/:slug", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const counts = await tenantStub(c, tenant).deleteTenant(operatorMeta(c, tenant));
    forgetTenant(tenant.slug);
    return c.json({ deleted: true, slug: tenant.slug, ...counts });
  });

  operator.post("/tenants/:slug/scim-tokens", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const grace = body.graceSeconds ?? 24 * 3600;
    if (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      return operatorError(400, "invalid_grace", `graceSeconds must be a whole number from 0 to ${MAX_GRACE_SECONDS}.`);
    }
    const issued = await tenantStub(c, tenant).issueScimToken(operatorMeta(c, tenant), grace);
    return c.json({ ...issued, scimBaseUrl: tenantUrls(originOf(c, tenant.slug)).scimBaseUrl }, 201);
  });

  operator.get("/tenants/:slug/scim-tokens", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    return c.json({ tokens: await listTokens(openDatabase(c.env.DB), tenant.id, Date.now()) });
  });

  operator.delete("/tenants/:slug/scim-tokens/:id", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const id = c.req.param("id");
    const revoked = await tenantStub(c, tenant).revokeScimToken(operatorMeta(c, tenant), id);
    return revoked ? c.json({ revoked: true, id }) : operatorError(404, "token_not_found", `No active token "${id}" for this tenant.`);
  });

  // Host-app API keys (api-keys.ts): issued and revoked through the tenant's Durable Object, listed from D1.
  operator.post("/tenants/:slug/api-keys", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const issued = await tenantStub(c, tenant).issueApiKey(operatorMeta(c, tenant));
    return c.json({ ...issued, directoryUrl: `${originOf(c, tenant.slug)}/api/directory` }, 201);
  });

  operator.get("/tenants/:slug/api-keys", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    return c.json({ keys: await listApiKeys(openDatabase(c.env.DB), tenant.id) });
  });

  operator.delete("/tenants/:slug/api-keys/:id", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const id = c.req.param("id");
    const revoked = await tenantStub(c, tenant).revokeApiKey(operatorMeta(c, tenant), id);
    return revoked ? c.json({ revoked: true, id }) : operatorError(404, "api_key_not_found", `No active API key "${id}" for this tenant.`);
  });

  operator.put("/tenants/:slug/saml", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const result = await validateSamlSettings(body, Date.now());
    if (!result.ok) {
      const message = Object.entries(result.errors).map(([field, text]) => `${field}: ${text}`).join(" ");
      return c.json({ error: message, code: "invalid_saml_settings", fields: result.errors }, 400);
    }
    await tenantStub(c, tenant).saveIdpConnection(operatorMeta(c, tenant), "saml", result.settings as unknown as JsonObject);
    return c.json(describeSettings(result.settings));
  });

  operator.get("/tenants/:slug/saml", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const settings = await loadSamlSettings(openDatabase(c.env.DB), tenant.id);
    return settings ? c.json(describeSettings(settings)) : operatorError(404, "saml_not_configured", `Tenant "${tenant.slug}" has no SAML connection yet.`);
  });

  // OIDC (issue 6 §1): the fields are checked, then discovery must answer and name the same issuer, before saving.
  operator.put("/tenants/:slug/oidc", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const checked = await validateOidcConnection(body, Date.now());
    if (!checked.ok && checked.reason === "invalid_fields") {
      const message = Object.entries(checked.errors).map(([field, text]) => `${field}: ${text}`).join(" ");
      return c.json({ error: message, code: "invalid_oidc_settings", fields: checked.errors }, 400);
    }
    if (!checked.ok) return c.json({ error: `issuer: ${checked.error}`, code: "oidc_discovery_failed", fields: { discovery: checked.error } }, 400);
    const settings = checked.settings;
    await tenantStub(c, tenant).saveIdpConnection(operatorMeta(c, tenant), "oidc", settings as unknown as JsonObject);
    return c.json(describeOidcSettings(settings));
  });

  operator.get("/tenants/:slug/oidc", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const settings = await loadOidcSettings(c.env, tenant.id);
    return settings ? c.json(describeOidcSettings(settings)) : operatorError(404, "oidc_not_configured", `Tenant "${tenant.slug}" has no OIDC connection.`);
  });

  operator.get("/tenants/:slug/sign-ins", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return operatorError(400, "invalid_limit", "limit is a whole number from 1 to 500.");
    const attempts = await listAttempts(openDatabase(c.env.DB), tenant.id, { failuresOnly: c.req.query("result") === "failure", limit });
    return c.json({ attempts });
  });

  // Provisioning jobs (issue 5 §1): large pushes and tenant-wide operations applied in batches, newest first.
  operator.get("/tenants/:slug/jobs", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return operatorError(400, "invalid_limit", "limit is a whole number from 1 to 500.");
    return c.json({ jobs: await listJobs(openDatabase(c.env.DB), tenant.id, limit) });
  });

  operator.post("/tenants/:slug/admin-links", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const link = await tenantStub(c, tenant).mintAdminLink(operatorMeta(c, tenant));
    const url = `${tenantUrls(originOf(c, tenant.slug)).consoleUrl}/sign-in?link=${encodeURIComponent(link.secret)}`;
    return c.json({ url, expiresAt: link.expiresAt }, 201);
  });

  // Events to the host app (src/events/): the webhook is set through the tenant's Durable Object, and its secret
  // is in that one answer only; delivery status is read from D1; redeliver queues one event again.
  operator.put("/tenants/:slug/webhook", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const checked = validateWebhookUrl(typeof body.url === "string" ? body.url : "");
    if (!checked.ok) return c.json({ error: `url: ${checked.message}`, code: "invalid_webhook_url", reason: checked.reason }, 400);
    return c.json(await tenantStub(c, tenant).setWebhook(operatorMeta(c, tenant), checked.url));
  });

  operator.get("/tenants/:slug/webhook", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const db = openDatabase(c.env.DB);
    const [webhook, deliveries] = await Promise.all([findWebhook(db, tenant.id), summariseDeliveries(db, tenant.id)]);
    return webhook ? c.json({ ...webhook, deliveries }) : operatorError(404, "webhook_not_configured", `Tenant "${tenant.slug}" has no webhook (gatehouse webhook set ${tenant.slug} <url>).`);
  });

  operator.delete("/tenants/:slug/webhook", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const removed = await tenantStub(c, tenant).removeWebhook(operatorMeta(c, tenant));
    return removed ? c.json({ removed: true }) : operatorError(404, "webhook_not_configured", `Tenant "${tenant.slug}" has no webhook.`);
  });

  operator.get("/tenants/:slug/events", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const status = c.req.query("status");
    if (status !== undefined && status !== "pending" && status !== "delivered" && status !== "failed") return operatorError(400, "invalid_status", "status is pending, delivered or failed.");
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return operatorError(400, "invalid_limit", "limit is a whole number from 1 to 500.");
    return c.json({ events: await listEvents(openDatabase(c.env.DB), tenant.id, { status, limit }) });
  });

  operator.post("/tenants/:slug/events/:id/redeliver", async (c) => {
    const tenant = await tenantOr404(c);
    if (tenant instanceof Response) return tenant;
    const id = c.req.param("id");
    const queued = await tenantStub(c, tenant).redeliverEvent(operatorMeta(c, tenant), id);
    return queued ? c.json({ redelivering: true, id }) : operatorError(404, "event_not_found", `No event "${id}" for this tenant.`);
  });

  operator.all("*", () => operatorError(404, "not_found", "No such operator endpoint."));
  return operator;
}

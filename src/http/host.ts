/**
 * Resolves the host before anything else: a tenant host loads its tenant (404 when there is none), the operator
 * host passes through, any other host is 404. Nothing below this runs for a host we do not serve.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { readConfig } from "../config";
import { openDatabase } from "../db/client";
import type { AppEnv, TenantEnv } from "../env";
import { classifyHost } from "../tenants/host";
import { lookupTenant } from "../tenants/cache";
import { tenantOrigin } from "../tenants/urls";
import { scimErrorResponse } from "../scim/respond";
import { scimStatusError } from "../scim/errors";

export const SCIM_PATH = /^\/okta\/scim(\/|$)/;

/**
 * Whether the tenant is served over https: cookies are then `Secure` (and the console's `__Host-`-prefixed). Only
 * plain-http local runs (`http://acme.localhost:8787`) are not.
 */
export function isSecureOrigin(c: { var: { origin: string } }): boolean {
  return c.var.origin.startsWith("https://");
}

export function notFoundResponse(path: string): Response {
  if (SCIM_PATH.test(path)) return scimErrorResponse(scimStatusError(404, "Not found."));
  return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export const resolveHost = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  c.set("config", config);
  const url = new URL(c.req.url);
  const host = classifyHost(config, url, c.req.header("host") ?? null);
  c.set("host", host);
  if (host.kind === "unknown") return notFoundResponse(url.pathname);
  if (host.kind === "tenant") {
    const tenant = await lookupTenant(openDatabase(c.env.DB), host.slug, Date.now());
    if (!tenant) return notFoundResponse(url.pathname);
    // The same context, now carrying the tenant: routes mounted for tenant hosts are typed with TenantEnv.
    const tenantContext = c as unknown as Context<TenantEnv>;
    tenantContext.set("tenant", tenant);
    tenantContext.set("origin", tenantOrigin(config, tenant.slug, url));
  }
  await next();
});

/** Mount guard: tenant routes answer only on a tenant host. */
export const requireTenantHost = createMiddleware<TenantEnv>(async (c, next) => {
  if (c.var.host.kind !== "tenant") return notFoundResponse(c.req.path);
  await next();
});

/**
 * The URLs a tenant admin pastes into Okta. They derive from the slug and the deployment's domain only, so the
 * console, the CLI, SAML metadata and the SCIM `meta.location` can never disagree.
 */
import type { Config } from "../config";

export interface TenantUrls {
  origin: string;
  /** SP entityID = Audience URI: the origin, with its scheme (Okta compares it exactly). */
  entityId: string;
  acsUrl: string;
  scimBaseUrl: string;
  metadataUrl: string;
  loginUrl: string;
  consoleUrl: string;
}

/** Local development runs on plain http with a port; every real domain is https on the default port. */
export function tenantOrigin(config: Config, slug: string, requestUrl: URL): string {
  const local = config.domain === "localhost" || config.domain.endsWith(".localhost");
  const scheme = local ? "http" : "https";
  const port = local && requestUrl.port ? `:${requestUrl.port}` : "";
  return `${scheme}://${slug}.${config.domain}${port}`;
}

export function tenantUrls(origin: string): TenantUrls {
  return {
    origin,
    entityId: origin,
    acsUrl: `${origin}/okta/auth`,
    scimBaseUrl: `${origin}/okta/scim/v2`,
    metadataUrl: `${origin}/okta/metadata`,
    loginUrl: `${origin}/login`,
    consoleUrl: `${origin}/settings/okta`,
  };
}

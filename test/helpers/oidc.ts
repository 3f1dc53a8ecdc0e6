/**
 * OIDC test helpers for workerd tests: tenants connected to the loopback providers (test/support/oidc/), and a
 * sign-in driven by hand through the real worker and the real provider, following every redirect.
 */
import { SELF } from "cloudflare:test";
import { inject } from "vitest";
import "../provided-context";
import { createTestTenant, operator, type TestTenant } from "./tenant";

export interface OidcTenant extends TestTenant {
  issuer: string;
  clientId: string;
}

/** A tenant with a client registered at the real provider (Dynamic Client Registration) and saved as its connection. */
export async function oidcTenant(options: { confidential?: boolean; settings?: Record<string, unknown> } = {}): Promise<OidcTenant> {
  const tenant = await createTestTenant("oidc");
  const issuer = inject("oidcIssuer");
  const registered = await fetch(`${issuer}/reg`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ redirect_uris: [`${tenant.origin}/oidc/callback`], token_endpoint_auth_method: options.confidential ? "client_secret_basic" : "none", grant_types: ["authorization_code"], response_types: ["code"] }),
  });
  const client = (await registered.json()) as { client_id: string; client_secret?: string };
  if (registered.status !== 201) throw new Error(`client registration failed: ${JSON.stringify(client)}`);
  const saved = await operator("PUT", `/tenants/${tenant.slug}/oidc`, { issuer, clientId: client.client_id, ...(client.client_secret ? { clientSecret: client.client_secret } : {}), ...options.settings });
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  return { ...tenant, issuer, clientId: client.client_id };
}

/**
 * A tenant connected to the hostile provider, which answers each code with the token the test asks for; `realm`
 * (`/r-name`) gives it an issuer with keys of its own.
 */
export async function hostileTenant(settings: Record<string, unknown> = {}, realm = ""): Promise<OidcTenant> {
  const tenant = await createTestTenant("oidc-hostile");
  const issuer = `${inject("hostileOidcIssuer")}${realm}`;
  const saved = await operator("PUT", `/tenants/${tenant.slug}/oidc`, { issuer, clientId: "gatehouse-client", clientSecret: "s3cret", ...settings });
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  return { ...tenant, issuer, clientId: "gatehouse-client" };
}

export async function setProviderAccount(email: string, account: { groups?: string[]; givenName?: string; familyName?: string }): Promise<void> {
  const response = await fetch(`${inject("oidcIssuer")}/_test/accounts/${encodeURIComponent(email)}`, { method: "PUT", body: JSON.stringify(account) });
  if (response.status !== 204) throw new Error(`account set-up failed: ${response.status}`);
}

/** A minimal cookie jar for the provider's own cookies (interaction and session). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** `GET /login` on the tenant: the authorize URL it redirects to. */
export async function startLogin(tenant: TestTenant, query = ""): Promise<Response> {
  return SELF.fetch(`${tenant.origin}/login${query}`, { redirect: "manual" });
}

/**
 * Follows the authorize URL through the provider as `email` (the test's own interaction step) to the callback URL
 * it redirects the browser to.
 */
export async function authorizeAs(authorizeUrl: string, email: string): Promise<URL> {
  const jar = new CookieJar();
  let next = authorizeUrl;
  for (let hop = 0; hop < 8; hop += 1) {
    const url = new URL(next);
    if (url.pathname === "/oidc/callback") return url;
    if (url.pathname.startsWith("/interaction/")) url.searchParams.set("login", email);
    const response = await fetch(url, { redirect: "manual", headers: { Cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get("location");
    if (!location) throw new Error(`provider stopped at ${url.pathname} with ${response.status}: ${await response.text()}`);
    await response.body?.cancel();
    next = new URL(location, url).href;
  }
  throw new Error("too many redirects at the provider");
}

/** The whole sign-in: /login → provider → /oidc/callback on the tenant. Returns the callback's answer. */
export async function oidcSignIn(tenant: TestTenant, email: string, loginQuery = ""): Promise<Response> {
  const login = await startLogin(tenant, loginQuery);
  if (login.status !== 302) throw new Error(`/login answered ${login.status}`);
  const callback = await authorizeAs(login.headers.get("location")!, email);
  return SELF.fetch(callback.href, { redirect: "manual" });
}

/**
 * The demo tenant `npm start` prepares: created once, with one SCIM token that is re-printed on every restart
 * rather than rotated (an IdP configured with it keeps working), and replaced only when it stops working.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isNodeError } from "../../src/cli/dev-vars";
import { requestViaHost } from "../../src/cli/host-request";
import type { OperatorClient } from "../../src/cli/http";
import { expectObject, expectObjectArray, type JsonObject } from "../../src/cli/response";

export interface DemoTenantOptions {
  slug: string;
  name: string;
  /** Where the last token this script printed is kept (inside .wrangler/, which holds local state anyway). */
  tokenFile: string;
}

export interface DemoTenant {
  tenant: JsonObject;
  scimToken: string;
  /** issued: new this run; reused: the stored one still authenticates; unverified: kept, but SCIM did not say. */
  tokenState: "issued" | "reused" | "unverified";
  /** Set when tokenState is "unverified": what the check saw. */
  note?: string;
}

/** Same grace as the CLI default: a token issued here must not cut off one a developer set up by hand. */
const GRACE_SECONDS = 24 * 3600;

export async function ensureDemoTenant(client: OperatorClient, options: DemoTenantOptions): Promise<DemoTenant> {
  const tenant = await findOrCreateTenant(client, options);
  const origin = tenant.origin;
  if (typeof origin !== "string") throw new Error(`tenant ${options.slug} has no origin in the operator API answer`);

  const stored = await readStoredToken(options.tokenFile);
  if (stored !== undefined) {
    const check = await checkToken(origin, stored);
    if (check.state !== "rejected") return { tenant, scimToken: stored, tokenState: check.state, ...(check.note ? { note: check.note } : {}) };
  }
  const issued = expectObject(
    await client.request("POST", `/tenants/${encodeURIComponent(options.slug)}/scim-tokens`, { graceSeconds: GRACE_SECONDS }),
    "scim-token issue",
  );
  if (typeof issued.token !== "string") throw new Error("the operator API issued a SCIM token without a token value");
  await mkdir(dirname(options.tokenFile), { recursive: true });
  await writeFile(options.tokenFile, `${issued.token}\n`, { mode: 0o600 });
  return { tenant, scimToken: issued.token, tokenState: "issued" };
}

async function findOrCreateTenant(client: OperatorClient, { slug, name }: DemoTenantOptions): Promise<JsonObject> {
  // From the list rather than `show` + 404: existence should not hinge on which error code a missing tenant gets.
  const tenants = expectObjectArray(expectObject(await client.request("GET", "/tenants"), "tenant list"), "tenants", "tenant list");
  const existing = tenants.find((tenant) => tenant.slug === slug);
  if (existing !== undefined) return existing;
  return expectObject(await client.request("POST", "/tenants", { slug, name }), "tenant create");
}

async function readStoredToken(path: string): Promise<string | undefined> {
  try {
    const token = (await readFile(path, "utf8")).trim();
    return token === "" ? undefined : token;
  } catch (error) {
    if (isNodeError(error) && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Asks an endpoint that must authenticate. ServiceProviderConfig would be the natural probe, but SCIM discovery
 * endpoints are often served without authentication, so a 200 there would prove nothing about the token. Only
 * 401/403 mean "rejected"; any other failure (SCIM not deployed yet, a crash) is no reason to rotate the token.
 */
async function checkToken(origin: string, token: string): Promise<{ state: "reused" | "rejected" | "unverified"; note?: string }> {
  const response = await requestViaHost(origin, "/okta/scim/v2/Users?startIndex=1&count=1", {
    headers: { authorization: `Bearer ${token}`, accept: "application/scim+json" },
  });
  if (response.status === 200) return { state: "reused" };
  if (response.status === 401 || response.status === 403) return { state: "rejected" };
  return { state: "unverified", note: `GET /okta/scim/v2/Users answered HTTP ${response.status}` };
}

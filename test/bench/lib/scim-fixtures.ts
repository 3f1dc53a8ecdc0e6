/** Request bodies and set-up shared by the benchmarks: Okta-shaped users, a tenant with a SCIM token. */
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The body Okta's SCIM client sends on create (about 600 bytes), random password included. */
export function oktaUserBody(userName: string): string {
  const local = userName.split("@")[0]!;
  return JSON.stringify({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: local, familyName: "Bench" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: `${local} Bench`,
    locale: "en-US",
    externalId: `00u${local}`,
    groups: [],
    password: "xA9!random-okta-password",
    active: true,
  });
}

export interface BenchTenant {
  slug: string;
  token: string;
}

/** A fresh tenant and SCIM token through the operator API (on 127.0.0.1, so Node's fetch is fine here). */
export async function createBenchTenant(baseUrl: string, operatorToken: string, prefix: string): Promise<BenchTenant> {
  const slug = `${prefix}-${Date.now().toString(36)}`;
  const headers = { Authorization: `Bearer ${operatorToken}`, "Content-Type": "application/json" };
  const created = await fetch(`${baseUrl}/_operator/tenants`, { method: "POST", headers, body: JSON.stringify({ slug }) });
  if (created.status !== 201) throw new Error(`tenant create: ${created.status} ${await created.text()}`);
  const issued = await fetch(`${baseUrl}/_operator/tenants/${slug}/scim-tokens`, { method: "POST", headers, body: "{}" });
  if (issued.status !== 201) throw new Error(`token issue: ${issued.status} ${await issued.text()}`);
  return { slug, token: ((await issued.json()) as { token: string }).token };
}

/** The console's "Test sign-in": an SP-initiated round trip whose result, success or failure, lands in the console. */
import { describe, expect, it } from "vitest";
import { signInToConsole, submit, view } from "../helpers/console";
import { cookieOf, samlSignIn } from "../helpers/saml";
import { createTestTenant, oktaUser, operator, scim } from "../helpers/tenant";
import rsaPem from "../fixtures/certs/idp-rsa.pem?raw";

const SSO_URL = "https://acme.okta.test/app/gatehouse/exk1gatehousetest/sso/saml";

async function inflate(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
}

async function startTest() {
  const tenant = await createTestTenant("test-sso");
  await operator("PUT", `/tenants/${tenant.slug}/saml`, { ssoUrl: SSO_URL, issuer: "http://www.okta.com/exk1gatehousetest", certificates: [rsaPem] });
  await scim(tenant, "POST", "/Users", oktaUser("tester@acme.test"));
  const session = await signInToConsole(tenant);
  const started = await submit(tenant, session, "/settings/okta/test-sign-in", {});
  expect(started.status).toBe(303);
  const location = new URL(started.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(SSO_URL);
  const relayState = location.searchParams.get("RelayState")!;
  expect(relayState).toMatch(/^\/settings\/okta\/test-sign-in\/result\?since=\d+$/);
  const requestId = /ID="(_[0-9a-f]{40})"/.exec(await inflate(location.searchParams.get("SAMLRequest")!))![1]!;
  return { tenant, session, relayState, requestId };
}

describe("test sign-in", () => {
  it("a successful round trip comes back to the console and says who signed in", async () => {
    const { tenant, session, relayState, requestId } = await startTest();
    const answer = await samlSignIn(tenant, "tester@acme.test", { inResponseTo: requestId }, {}, relayState);
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(relayState);
    expect(cookieOf(answer)).toMatch(/^gh_session=/);
    const result = await view(tenant, session, relayState);
    expect(result.status).toBe(200);
    expect(result.html).toMatch(/id="test-result"[\s\S]*Success[\s\S]*tester@acme.test/);
  });

  it("a failure comes back to the console too, in plain words, with no session", async () => {
    const { tenant, session, relayState, requestId } = await startTest();
    const answer = await samlSignIn(tenant, "nobody@acme.test", { inResponseTo: requestId }, {}, relayState);
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(relayState);
    expect(answer.headers.get("set-cookie")).toBeNull();
    const result = await view(tenant, session, relayState);
    expect(result.html).toMatch(/id="test-result"[\s\S]*Failed/);
    expect(result.html).toContain("<code>unknown_user</code>");
    expect(result.html).toContain("nobody@acme.test");
  });

  it("before any response arrives the page says so", async () => {
    const { tenant, session, relayState } = await startTest();
    expect((await view(tenant, session, relayState)).html).toContain("No sign-in has arrived");
    expect((await view(tenant, session, "/settings/okta/test-sign-in/result?since=abc")).status).toBe(400);
  });

  it("a failure with any other RelayState still shows the failure page, not a redirect", async () => {
    const { tenant } = await startTest();
    const answer = await samlSignIn(tenant, "nobody@acme.test", {}, {}, "/settings/okta/test-sign-in/resultx");
    expect(answer.status).toBe(403);
  });

  it("without IdP settings there is nothing to test", async () => {
    const tenant = await createTestTenant("test-none");
    const session = await signInToConsole(tenant);
    expect((await submit(tenant, session, "/settings/okta/test-sign-in", {})).status).toBe(409);
  });
});

/** The pure OIDC checks: connection fields, the discovery document, the groups claim. */
import { describe, expect, it } from "vitest";
import { checkEndpointUrl, DEFAULT_SCOPES, validateDiscovery, validateOidcInput } from "../../src/oidc/connection";
import { MAX_CLAIMED_GROUPS, readGroupsClaim } from "../../src/oidc/group-sync";

const ISSUER = "https://acme.okta.com";
const GOOD_DISCOVERY = { issuer: ISSUER, authorization_endpoint: `${ISSUER}/oauth2/v1/authorize`, token_endpoint: `${ISSUER}/oauth2/v1/token`, jwks_uri: `${ISSUER}/oauth2/v1/keys` };

describe("validateOidcInput", () => {
  it("fills the defaults for a public client", () => {
    const result = validateOidcInput({ issuer: ISSUER, clientId: " 0oa1 " });
    expect(result).toEqual({ ok: true, settings: { issuer: ISSUER, clientId: "0oa1", clientSecret: null, scopes: DEFAULT_SCOPES, groupsClaim: "groups", groupsSource: "claim", clockSkewSeconds: 180, jitProvisioning: false } });
  });

  it("takes scopes as a space-separated string, and requires openid", () => {
    expect(validateOidcInput({ issuer: ISSUER, clientId: "a", scopes: "openid email" })).toMatchObject({ ok: true, settings: { scopes: ["openid", "email"] } });
    expect(validateOidcInput({ issuer: ISSUER, clientId: "a", scopes: "email" })).toMatchObject({ ok: false, errors: { scopes: expect.stringContaining("openid") } });
  });

  it("reports every bad field at once", () => {
    const result = validateOidcInput({ issuer: "ftp://x", clientId: 3, clientSecret: "", groupsClaim: "a b", clockSkewSeconds: 5000 });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.errors).sort()).toEqual(["clientId", "clientSecret", "groupsClaim", "issuer", "options"]);
  });
});

describe("checkEndpointUrl", () => {
  it("allows https, and http only to loopback", () => {
    expect(checkEndpointUrl("https://acme.okta.com/x")).not.toBeNull();
    expect(checkEndpointUrl("http://127.0.0.1:8080/x")).not.toBeNull();
    expect(checkEndpointUrl("http://localhost/x")).not.toBeNull();
    expect(checkEndpointUrl("http://acme.okta.com/x")).toBeNull();
    expect(checkEndpointUrl("https://user:pw@acme.okta.com/x")).toBeNull();
    expect(checkEndpointUrl("javascript:alert(1)")).toBeNull();
  });
});

describe("validateDiscovery", () => {
  it("accepts a document naming the same issuer, with the time it was fetched", () => {
    expect(validateDiscovery(GOOD_DISCOVERY, ISSUER, 1000)).toEqual({ ok: true, discovery: { issuer: ISSUER, authorizationEndpoint: GOOD_DISCOVERY.authorization_endpoint, tokenEndpoint: GOOD_DISCOVERY.token_endpoint, jwksUri: GOOD_DISCOVERY.jwks_uri, fetchedAt: 1000 } });
  });

  it("refuses another issuer (even by a trailing slash), a missing endpoint, an http endpoint", () => {
    expect(validateDiscovery({ ...GOOD_DISCOVERY, issuer: `${ISSUER}/` }, ISSUER, 0).ok).toBe(false);
    expect(validateDiscovery({ ...GOOD_DISCOVERY, jwks_uri: undefined }, ISSUER, 0).ok).toBe(false);
    expect(validateDiscovery({ ...GOOD_DISCOVERY, token_endpoint: "http://acme.okta.com/token" }, ISSUER, 0).ok).toBe(false);
    expect(validateDiscovery([GOOD_DISCOVERY], ISSUER, 0).ok).toBe(false);
  });
});

describe("readGroupsClaim", () => {
  it("keeps trimmed strings, one per name case-insensitively, and ignores the rest", () => {
    expect(readGroupsClaim([" Eng ", "eng", "Ops", 3, null, ""])).toEqual(["Eng", "Ops"]);
    expect(readGroupsClaim("Eng")).toEqual([]);
  });

  it("is bounded", () => {
    expect(readGroupsClaim(Array.from({ length: 500 }, (_, i) => `g${i}`))).toHaveLength(MAX_CLAIMED_GROUPS);
  });
});

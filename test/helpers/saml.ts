/** SAML test helpers for workerd tests: responses signed by the Node signing service (xmlsec1, xml-crypto). */
import { SELF } from "cloudflare:test";
import { inject } from "vitest";
import "../provided-context";
import type { ResponseSpec, SignRequest } from "../support/saml/types";
import type { TestTenant } from "./tenant";

import { responseSpec } from "../support/saml/spec";

export { ECDSA_SHA256, OKTA_ISSUER, RSA_SHA1, RSA_SHA256, SHA1, SHA256, responseSpec } from "../support/saml/spec";

export async function signedResponse(request: SignRequest): Promise<string> {
  const response = await fetch(`${inject("samlSignerUrl")}/sign`, { method: "POST", body: JSON.stringify(request) });
  const text = await response.text();
  if (!response.ok) throw new Error(`signer: ${text}`);
  return text;
}

export function toBase64(xml: string): string {
  const bytes = new TextEncoder().encode(xml);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Posts a SAMLResponse to the tenant's ACS the way the IdP's auto-submitting form does. */
export async function postToAcs(tenant: TestTenant, samlResponse: string, relayState?: string): Promise<Response> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState !== undefined) form.set("RelayState", relayState);
  return SELF.fetch(`${tenant.origin}/okta/auth`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://acme.okta.test" },
    body: form.toString(),
  });
}

/** Signs a response for `nameId` (one thing changed by `overrides`) and posts it to the ACS. */
export async function samlSignIn(tenant: TestTenant, nameId: string, overrides: Partial<ResponseSpec> = {}, request: Partial<SignRequest> = {}, relayState?: string): Promise<Response> {
  const xml = await signedResponse({ spec: responseSpec(tenant.origin, nameId, overrides), ...request });
  return postToAcs(tenant, toBase64(xml), relayState);
}

export function cookieOf(response: Response): string | undefined {
  return response.headers.get("set-cookie")?.split(";")[0];
}

/**
 * SP-initiated sign-in: the AuthnRequest (SAML core §3.4.1) and its HTTP-Redirect encoding (SAML bindings §3.4.4:
 * DEFLATE, base64, URL-encoded `SAMLRequest`, plus `RelayState`). Unsigned: IdPs accept unsigned requests, and
 * the request's ID is what we check the answer against (InResponseTo, single use, in the tenant's DO).
 */
import { bytesToHex, randomBytes } from "../lib/bytes";
import { escapeXml } from "./xml/escape";
import { BINDING_HTTP_POST, NAMEID_EMAIL, NS } from "./namespaces";

/** xs:ID must not start with a digit; 160 random bits. */
export function newRequestId(): string {
  return `_${bytesToHex(randomBytes(20))}`;
}

export function buildAuthnRequest(input: { id: string; issueInstant: string; destination: string; acsUrl: string; entityId: string }): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${escapeXml(input.id)}" Version="2.0" ` +
    `IssueInstant="${input.issueInstant}" Destination="${escapeXml(input.destination)}" AssertionConsumerServiceURL="${escapeXml(input.acsUrl)}" ProtocolBinding="${BINDING_HTTP_POST}">` +
    `<saml:Issuer>${escapeXml(input.entityId)}</saml:Issuer><samlp:NameIDPolicy Format="${NAMEID_EMAIL}" AllowCreate="true"/></samlp:AuthnRequest>`
  );
}

async function deflateRaw(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The IdP URL to send the browser to, keeping any query string the SSO URL already has. */
export async function redirectUrl(ssoUrl: string, authnRequest: string, relayState: string | null): Promise<string> {
  let binary = "";
  for (const byte of await deflateRaw(authnRequest)) binary += String.fromCharCode(byte);
  const url = new URL(ssoUrl);
  url.searchParams.set("SAMLRequest", btoa(binary));
  if (relayState) url.searchParams.set("RelayState", relayState);
  return url.href;
}

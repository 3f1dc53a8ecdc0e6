/** SP metadata (SAML metadata §2.4.4) for a tenant: what an IdP needs to trust us, nothing more. */
import { escapeXml } from "./xml/escape";
import { BINDING_HTTP_POST, NAMEID_EMAIL, NS, SAML2_PROTOCOL } from "./namespaces";
import type { TenantUrls } from "../tenants/urls";

export function spMetadata(urls: TenantUrls): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${escapeXml(urls.entityId)}">` +
    `<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="${SAML2_PROTOCOL}">` +
    `<md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat>` +
    `<md:AssertionConsumerService Binding="${BINDING_HTTP_POST}" Location="${escapeXml(urls.acsUrl)}" index="0" isDefault="true"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>\n`
  );
}

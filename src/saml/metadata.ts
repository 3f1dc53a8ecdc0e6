/**
 * IdP metadata (SAML metadata §2.4.3, IDPSSODescriptor) → the three values a tenant would otherwise paste: the SSO
 * URL, the issuer (entityID) and the signing certificates. Pure. Metadata is not trusted for anything else; its
 * certificates still go through the same checks as pasted ones.
 */
import { parseXml, type XmlElement } from "./xml/parse";
import { attribute, childElements, exactlyOneChild, textContent } from "./xml/tree";
import { BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, NS, SAML2_PROTOCOL } from "./namespaces";

/** Okta's metadata is ~4 KB; Entra's, with several certificates, ~20 KB. */
export const MAX_METADATA_BYTES = 256 * 1024;

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** Base64 DER, as found in `X509Certificate`, signing (or unspecified-use) keys only. */
  certificates: string[];
}

export type MetadataResult = { ok: true; metadata: IdpMetadata } | { ok: false; message: string };

function entityDescriptor(root: XmlElement): XmlElement | string {
  if (root.namespaceUri === NS.metadata && root.localName === "EntityDescriptor") return root;
  if (root.namespaceUri === NS.metadata && root.localName === "EntitiesDescriptor") {
    const one = exactlyOneChild(root, NS.metadata, "EntityDescriptor");
    return one.ok ? one.element : `The metadata describes ${one.count} entities; paste the metadata of this one application.`;
  }
  return "This is not SAML metadata (no md:EntityDescriptor).";
}

export function parseIdpMetadata(xml: string): MetadataResult {
  if (xml.length > MAX_METADATA_BYTES) return { ok: false, message: "The metadata is larger than 256 KB." };
  const parsed = parseXml(xml);
  if (!parsed.ok) return { ok: false, message: `The metadata is not valid XML (${parsed.detail}).` };
  const entity = entityDescriptor(parsed.root);
  if (typeof entity === "string") return { ok: false, message: entity };
  const entityId = attribute(entity, "entityID")?.trim();
  if (!entityId) return { ok: false, message: "The metadata has no entityID (the IdP issuer)." };
  const descriptors = childElements(entity, NS.metadata, "IDPSSODescriptor").filter((d) =>
    (attribute(d, "protocolSupportEnumeration") ?? "").split(/\s+/).includes(SAML2_PROTOCOL),
  );
  if (descriptors.length !== 1) return { ok: false, message: "The metadata must have exactly one SAML 2.0 IDPSSODescriptor." };
  const idp = descriptors[0]!;
  const services = childElements(idp, NS.metadata, "SingleSignOnService");
  // Gatehouse sends AuthnRequests with HTTP-Redirect; an IdP that offers only POST still gets that URL.
  const service = services.find((s) => attribute(s, "Binding") === BINDING_HTTP_REDIRECT) ?? services.find((s) => attribute(s, "Binding") === BINDING_HTTP_POST);
  const ssoUrl = service && attribute(service, "Location")?.trim();
  if (!ssoUrl) return { ok: false, message: "The metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding." };
  const certificates: string[] = [];
  for (const key of childElements(idp, NS.metadata, "KeyDescriptor")) {
    const use = attribute(key, "use");
    if (use !== undefined && use !== "signing") continue;
    for (const info of childElements(key, NS.dsig, "KeyInfo")) {
      for (const data of childElements(info, NS.dsig, "X509Data")) {
        for (const certificate of childElements(data, NS.dsig, "X509Certificate")) certificates.push(textContent(certificate).replace(/\s+/g, ""));
      }
    }
  }
  if (certificates.length === 0) return { ok: false, message: "The metadata has no signing certificate." };
  return { ok: true, metadata: { entityId, ssoUrl, certificates: [...new Set(certificates)] } };
}

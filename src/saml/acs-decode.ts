/** The HTTP-POST binding's SAMLResponse field, bounded and decoded (pure; shared by the ACS and `saml verify`). */
import { base64DecodeStrict, utf8DecodeStrict } from "../lib/bytes";
import { samlFailure, type SamlFailure } from "./errors";

/** Okta's responses are 6–12 KB; Entra's with many groups 30–60 KB. Checked before base64 decoding. */
export const MAX_SAML_RESPONSE_CHARS = 512 * 1024;

/** Decodes the HTTP-POST binding's SAMLResponse (SAML bindings §3.5.4): base64 of UTF-8 XML, line breaks allowed. */
export function decodeSamlResponse(field: string | null | undefined): { ok: true; xml: string } | { ok: false; failure: SamlFailure } {
  if (!field) return samlFailure("missing_saml_response", {});
  if (field.length > MAX_SAML_RESPONSE_CHARS) return samlFailure("response_too_large", { characters: field.length, limit: MAX_SAML_RESPONSE_CHARS });
  const bytes = base64DecodeStrict(field.replace(/[\r\n\t ]+/g, ""));
  if (!bytes) return samlFailure("response_not_base64", {});
  try {
    return { ok: true, xml: utf8DecodeStrict(bytes) };
  } catch {
    return samlFailure("response_not_utf8", {});
  }
}


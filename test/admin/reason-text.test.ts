/** Every SAML and OIDC failure reason code has its plain-words sentence for the tenant admin. */
import { describe, expect, it } from "vitest";
import { REASON_TEXT, reasonText } from "../../src/admin/reason-text";
import errorsSource from "../../src/saml/errors.ts?raw";
import xmlElementSource from "../../src/saml/xml/element.ts?raw";
import oidcErrorsSource from "../../src/oidc/errors.ts?raw";

/** The string literals of a `type Name = | "a" | "b" …;` union in a source file. */
function unionMembers(source: string, typeName: string): string[] {
  const declaration = new RegExp(`export type ${typeName} =([\\s\\S]*?);\\n`).exec(source);
  if (!declaration) throw new Error(`no type ${typeName}`);
  return [...declaration[1]!.matchAll(/"([a-z0-9_]+)"/g)].map((match) => match[1]!);
}

describe("reason texts", () => {
  const codes = [...unionMembers(errorsSource, "SamlReason"), ...unionMembers(xmlElementSource, "XmlParseReason"), ...unionMembers(oidcErrorsSource, "OidcReason")];

  it("the source lists the codes (sanity check of the reader)", () => {
    expect(codes).toContain("signature_invalid");
    expect(codes).toContain("xml_doctype_forbidden");
    expect(codes).toContain("id_token_nonce_mismatch");
    expect(codes.length).toBeGreaterThan(40);
  });

  it("every code in src/saml/errors.ts and src/oidc/errors.ts has a sentence, and no sentence is for a code that does not exist", () => {
    for (const code of codes) expect(REASON_TEXT[code as keyof typeof REASON_TEXT], code).toMatch(/\w{3,}.*\.$/);
    expect(Object.keys(REASON_TEXT).sort()).toEqual([...new Set(codes)].sort());
  });

  it("an unknown code still shows, as itself", () => {
    expect(reasonText("from_a_later_version")).toContain("from_a_later_version");
    expect(reasonText("toString")).toContain("toString");
  });
});

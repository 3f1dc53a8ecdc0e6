import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/saml/xml/parse";
import { textContent } from "../../src/saml/xml/tree";

describe("parseXml: hostile input", () => {
  it.each([
    ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', "xml_doctype_forbidden"],
    ['<!DOCTYPE r SYSTEM "http://evil.test/x.dtd"><r/>', "xml_doctype_forbidden"],
    ["<r><!ENTITY x 'y'></r>", "xml_doctype_forbidden"],
    ["<r>&custom;</r>", "xml_undeclared_entity"],
    ["<r>&#0;</r>", "xml_malformed"],
    ["<r>a & b</r>", "xml_malformed"],
    ['<r><?evil instruction?></r>', "xml_processing_instruction"],
    ['<?evil?><r/>', "xml_processing_instruction"],
    ['<r a="1" a="2"/>', "xml_malformed"],
    ['<r xmlns:a="u" xmlns:b="u" a:x="1" b:x="2"/>', "xml_malformed"],
    ["<r><p:x/></r>", "xml_unbound_prefix"],
    ["<r></s>", "xml_malformed"],
    ["<r/><s/>", "xml_no_root"],
    ["text<r/>", "xml_malformed"],
    [`${"<a>".repeat(70)}${"</a>".repeat(70)}`, "xml_too_deep"],
    ['<r __proto__="x"/>', "xml_malformed"],
  ])("%s → %s", (xml, reason) => {
    const result = parseXml(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });
});

describe("parseXml: what it keeps", () => {
  it("reads text whole across comments (CVE-2017-11427: alice@acme.com<!---->.evil.com is not alice)", () => {
    const result = parseXml("<NameID>alice@acme.com<!---->.evil.com</NameID>");
    expect(result.ok && textContent(result.root)).toBe("alice@acme.com.evil.com");
  });

  it("decodes predefined and character references, normalises line ends and attribute white space", () => {
    const result = parseXml('<r a="x&#10;y&#x9;z\tw&amp;">1 &lt; 2 &#x1F600;\r\nend<![CDATA[<raw> &amp;]]></r>');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.root.attributes[0]!.value).toBe("x\ny\tz w&");
    expect(result.root.children).toEqual([{ kind: "text", value: "1 < 2 😀\nend<raw> &amp;" }]);
  });

  it("resolves namespaces by URI, whatever the prefix", () => {
    const result = parseXml('<x:Response xmlns:x="urn:oasis:names:tc:SAML:2.0:protocol" xmlns="urn:default"><Inner xml:lang="en" ID="1"/></x:Response>');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.root).toMatchObject({ localName: "Response", prefix: "x", namespaceUri: "urn:oasis:names:tc:SAML:2.0:protocol" });
    const inner = result.root.children[0]!;
    expect(inner).toMatchObject({ localName: "Inner", namespaceUri: "urn:default" });
    if (inner.kind !== "element") return;
    expect(inner.attributes).toEqual([
      { name: "xml:lang", prefix: "xml", localName: "lang", namespaceUri: "http://www.w3.org/XML/1998/namespace", value: "en" },
      { name: "ID", prefix: "", localName: "ID", namespaceUri: "", value: "1" },
    ]);
  });
});

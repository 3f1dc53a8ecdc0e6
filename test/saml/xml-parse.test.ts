import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/saml/xml/parse";
import { textContent } from "../../src/saml/xml/tree";
import attributesIn from "../fixtures/c14n/attributes-and-text.xml?raw";
import samlIn from "../fixtures/c14n/saml-shaped.xml?raw";
import w3cIn from "../fixtures/c14n/w3c-exc-c14n-2.2.xml?raw";
import metadataIn from "../fixtures/okta-metadata.xml?raw";

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
  ])("%s → %s", (xml, reason) => {
    const result = parseXml(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });
});

describe("parseXml: what it keeps", () => {
  it("keeps names as data: __proto__ and constructor are attribute and element names like any other", () => {
    const result = parseXml('<r __proto__="x" constructor="y"><__proto__/></r>');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.root.attributes.map((a) => [a.name, a.value])).toEqual([["__proto__", "x"], ["constructor", "y"]]);
    expect(result.root.children[0]).toMatchObject({ kind: "element", name: "__proto__" });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("agrees with fast-xml-parser's own reading of every fixture (element names, attributes, text, in order)", async () => {
    const { XMLParser } = await import("fast-xml-parser");
    const reference = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: false, htmlEntities: false, commentPropName: "#comment", cdataPropName: "#cdata" });
    // fast-xml-parser leaves references and white space as written; apply XML 1.0 §3.3.3 and §4.6 to its output.
    const decode = (raw: unknown, attribute: boolean) =>
      String(attribute ? String(raw).replace(/[\t\n\r]/g, " ") : raw).replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (_, ref: string) =>
        ref[0] === "#" ? String.fromCodePoint(ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)) : ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" } as Record<string, string>)[ref]!,
      );
    type Raw = Record<string, unknown>;
    const flatten = (nodes: Raw[]): unknown[] =>
      nodes.flatMap((node) => {
        const key = Object.keys(node).find((k) => k !== ":@")!;
        if (key === "?xml") return [];
        if (key === "#text") return [["text", decode(node["#text"], false)]];
        if (key === "#cdata") return [["text", (node["#cdata"] as Raw[]).map((t) => t["#text"]).join("")]];
        if (key === "#comment") return [["comment"]];
        return [["element", key, Object.entries((node[":@"] ?? {}) as Record<string, string>).map(([name, value]) => [name, decode(value, true)]).sort(), flatten(node[key] as Raw[])]];
      });
    const mine = (node: import("../../src/saml/xml/parse").XmlNode): unknown =>
      node.kind === "text" ? ["text", node.value] : node.kind === "comment" ? ["comment"] : ["element", node.name, [...node.namespaceDeclarations.map((d) => [d.prefix ? `xmlns:${d.prefix}` : "xmlns", d.uri]), ...node.attributes.map((a) => [a.name, a.value])].sort(), node.children.map(mine)];
    // Adjacent text and CDATA are one node in ours; merge theirs the same way before comparing.
    const merge = (items: unknown[]): unknown[] =>
      items.reduce<unknown[]>((out, item) => {
        const entry = item as unknown[];
        const last = out[out.length - 1] as unknown[] | undefined;
        if (entry[0] === "text" && last?.[0] === "text") out[out.length - 1] = ["text", `${last[1]}${entry[1]}`];
        else out.push(entry[0] === "element" ? [entry[0], entry[1], entry[2], merge(entry[3] as unknown[])] : entry);
        return out;
      }, []);
    for (const xml of [attributesIn, samlIn, w3cIn, metadataIn]) {
      const ours = parseXml(xml);
      expect(ours.ok).toBe(true);
      if (!ours.ok) continue;
      expect([mine(ours.root)]).toEqual(merge(flatten(reference.parse(xml) as Raw[]).filter((n) => (n as unknown[])[0] === "element")));
    }
  });

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

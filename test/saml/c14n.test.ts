import { describe, expect, it } from "vitest";
import { canonicalizeExclusive } from "../../src/saml/xml/c14n";
import { parseXml, type XmlElement } from "../../src/saml/xml/parse";
import { descendants } from "../../src/saml/xml/tree";
import attributesIn from "../fixtures/c14n/attributes-and-text.xml?raw";
import attributesOut from "../fixtures/c14n/attributes-and-text.exc-c14n?raw";
import samlIn from "../fixtures/c14n/saml-shaped.xml?raw";
import samlOut from "../fixtures/c14n/saml-shaped.exc-c14n?raw";
import w3cIn from "../fixtures/c14n/w3c-exc-c14n-2.2.xml?raw";
import w3cOut from "../fixtures/c14n/w3c-exc-c14n-2.2.exc-c14n?raw";

function root(xml: string): XmlElement {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.root;
}

function find(element: XmlElement, localName: string): XmlElement {
  for (const candidate of descendants(element)) if (candidate.localName === localName) return candidate;
  throw new Error(`no ${localName}`);
}

describe("exclusive C14N against libxml2 (xmllint --exc-c14n)", () => {
  it.each([
    ["attributes-and-text", attributesIn, attributesOut],
    ["saml-shaped", samlIn, samlOut],
    ["w3c §2.2 example", w3cIn, w3cOut],
  ])("%s, with comments", (_, input, expected) => {
    expect(canonicalizeExclusive(root(input), { withComments: true })).toBe(expected.replace(/\n$/, ""));
  });

  it.each([
    ["attributes-and-text", attributesIn, attributesOut],
    ["saml-shaped", samlIn, samlOut],
  ])("%s, without comments", (_, input, expected) => {
    expect(canonicalizeExclusive(root(input))).toBe(expected.replace(/\n$/, "").replace(/<!--[\s\S]*?-->/g, ""));
  });
});

describe("exclusive C14N of a subtree", () => {
  it("W3C exc-c14n §2.2: n1:elem2 alone carries only the namespaces it uses, not n0's", () => {
    expect(canonicalizeExclusive(find(root(w3cIn), "elem2"))).toBe('<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>');
  });

  it("an assertion cut out of its response declares the namespaces it uses; PrefixList adds xs for xsi:type values", () => {
    const assertion = find(root(samlIn), "Assertion");
    const plain = canonicalizeExclusive(assertion);
    expect(plain.startsWith('<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="id2"')).toBe(true);
    expect(plain).not.toContain("xmlns:xs=");
    const withXs = canonicalizeExclusive(assertion, { inclusivePrefixes: ["xs"] });
    expect(withXs.startsWith('<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="id2"')).toBe(true);
  });

  it("leaves out the excluded element (enveloped signature) and nothing else", () => {
    const doc = root('<a xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="x"><b>1</b><ds:Signature><ds:SignedInfo/></ds:Signature><c>2</c></a>');
    expect(canonicalizeExclusive(doc, { exclude: find(doc, "Signature") })).toBe('<a ID="x"><b>1</b><c>2</c></a>');
  });

  it("undoes a default namespace only where an output ancestor set one", () => {
    const doc = root('<r xmlns="urn:d"><x xmlns=""><y/></x></r>');
    expect(canonicalizeExclusive(doc)).toBe('<r xmlns="urn:d"><x xmlns=""><y></y></x></r>');
    expect(canonicalizeExclusive(find(doc, "x"))).toBe("<x><y></y></x>");
  });
});

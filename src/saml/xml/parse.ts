/**
 * The only module that touches fast-xml-parser. It turns untrusted XML text into a small, namespace-resolved tree,
 * refusing anything a signature check could be fooled by.
 *
 * Attacks this layer stops:
 *  - XXE and entity expansion ("billion laughs"): any DOCTYPE or ENTITY declaration is rejected before parsing,
 *    and entity references other than XML's five predefined ones and character references are errors.
 *  - Comment truncation (CVE-2017-11427 family): comments are kept as nodes so that text is always read whole
 *    across them by `textContent`, never cut at the first one.
 *  - Processing instructions smuggled into signed content: any PI other than the XML declaration is rejected.
 *  - Parser differentials: every fast-xml-parser option is set explicitly (its defaults trim text, coerce numbers,
 *    drop comments and expand entities — each changes what a signature covers); well-formedness, including
 *    duplicate attributes, is checked by its validator first; text and attribute values are decoded and
 *    normalised here, by the rules of XML 1.0 §2.11 and §3.3.3, not by the library.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
export const MAX_XML_DEPTH = 64;

export interface XmlAttribute {
  name: string;
  prefix: string;
  localName: string;
  namespaceUri: string;
  value: string;
}

export interface XmlElement {
  kind: "element";
  name: string;
  prefix: string;
  localName: string;
  namespaceUri: string;
  /** In document order; namespace declarations are not attributes here (see `namespaceDeclarations`). */
  attributes: XmlAttribute[];
  /** `xmlns` / `xmlns:p` as written on this element, in document order ("" is the default namespace). */
  namespaceDeclarations: { prefix: string; uri: string }[];
  /** Every prefix in scope here, inherited ones included. */
  inScope: ReadonlyMap<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | { kind: "text"; value: string } | { kind: "comment"; value: string };

export type XmlParseReason =
  | "xml_malformed"
  | "xml_doctype_forbidden"
  | "xml_processing_instruction"
  | "xml_undeclared_entity"
  | "xml_unbound_prefix"
  | "xml_too_deep"
  | "xml_no_root";

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; reason: XmlParseReason; detail: string };

class XmlError extends Error {
  constructor(readonly reason: XmlParseReason, detail: string) {
    super(detail);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  attributesGroupName: false,
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  commentPropName: "#comment",
  cdataPropName: "#cdata",
  ignoreDeclaration: false,
  ignorePiTags: false,
  removeNSPrefix: false,
  allowBooleanAttributes: false,
  alwaysCreateTextNode: true,
  unpairedTags: [],
  stopNodes: [],
  maxNestedTags: MAX_XML_DEPTH,
});

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML 1.0 §2.2: the characters a document may contain. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Replaces references in raw text: the five predefined entities and character references, nothing else. */
function decodeReferences(raw: string): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(";")) throw new XmlError("xml_malformed", "an '&' that does not start a reference");
    if (body.startsWith("#")) {
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(body) ? parseInt(body.slice(2), 16) : /^#[0-9]{1,7}$/.test(body) ? parseInt(body.slice(1), 10) : NaN;
      if (!isXmlChar(code)) throw new XmlError("xml_malformed", `character reference ${match} is not an XML character`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[body];
    if (value === undefined) throw new XmlError("xml_undeclared_entity", `entity reference ${match} is not allowed`);
    return value;
  });
}

/** XML 1.0 §2.11: every CR LF pair and lone CR is read as LF. */
function normalizeLineEnds(raw: string): string {
  return raw.replace(/\r\n?/g, "\n");
}

/** XML 1.0 §3.3.3 (CDATA attribute type): literal white space becomes a space, then references are decoded. */
function attributeValue(raw: string): string {
  return decodeReferences(normalizeLineEnds(raw).replace(/[\t\n]/g, " "));
}

function splitName(name: string): { prefix: string; localName: string } {
  const colon = name.indexOf(":");
  return colon === -1 ? { prefix: "", localName: name } : { prefix: name.slice(0, colon), localName: name.slice(colon + 1) };
}

type RawNode = Record<string, unknown>;

function buildElement(name: string, raw: RawNode, parentScope: ReadonlyMap<string, string>, depth: number): XmlElement {
  if (depth > MAX_XML_DEPTH) throw new XmlError("xml_too_deep", `elements nest deeper than ${MAX_XML_DEPTH}`);
  const rawAttributes = (raw[":@"] ?? {}) as Record<string, string>;
  const declarations: { prefix: string; uri: string }[] = [];
  const plain: [string, string][] = [];
  for (const [attributeName, rawValue] of Object.entries(rawAttributes)) {
    const value = attributeValue(rawValue);
    if (attributeName === "xmlns") declarations.push({ prefix: "", uri: value });
    else if (attributeName.startsWith("xmlns:")) declarations.push({ prefix: attributeName.slice(6), uri: value });
    else plain.push([attributeName, value]);
  }
  const scope = new Map(parentScope);
  for (const declaration of declarations) {
    if (declaration.prefix !== "" && declaration.uri === "") throw new XmlError("xml_malformed", `xmlns:${declaration.prefix} cannot be undeclared in XML 1.0`);
    if (declaration.prefix === "xml" || declaration.prefix === "xmlns" || declaration.uri === XMLNS_NAMESPACE) {
      throw new XmlError("xml_malformed", "the xml and xmlns prefixes are reserved");
    }
    scope.set(declaration.prefix, declaration.uri);
  }
  const resolve = (prefix: string, isAttribute: boolean): string => {
    if (prefix === "xml") return XML_NAMESPACE;
    if (prefix === "" && isAttribute) return ""; // unprefixed attributes have no namespace (Namespaces in XML §6.2)
    const uri = scope.get(prefix);
    if (uri === undefined) {
      if (prefix === "") return "";
      throw new XmlError("xml_unbound_prefix", `the prefix "${prefix}" is not declared`);
    }
    return uri;
  };
  const { prefix, localName } = splitName(name);
  const attributes = plain.map(([attributeName, value]) => {
    const parts = splitName(attributeName);
    return { name: attributeName, ...parts, namespaceUri: resolve(parts.prefix, true), value };
  });
  const seen = new Set<string>();
  for (const attribute of attributes) {
    // Two attributes with one expanded name (a:x and b:x bound to one URI) are an error (Namespaces in XML §6.3).
    const key = `${attribute.namespaceUri} ${attribute.localName}`;
    if (seen.has(key)) throw new XmlError("xml_malformed", `attribute ${attribute.name} is repeated`);
    seen.add(key);
  }
  const element: XmlElement = {
    kind: "element",
    name,
    prefix,
    localName,
    namespaceUri: resolve(prefix, false),
    attributes,
    namespaceDeclarations: declarations,
    inScope: scope,
    children: [],
  };
  element.children = buildChildren(raw[name] as RawNode[], scope, depth);
  return element;
}

function textOf(raw: RawNode[]): string {
  return raw.map((node) => String(node["#text"] ?? "")).join("");
}

function buildChildren(rawChildren: RawNode[], scope: ReadonlyMap<string, string>, depth: number): XmlNode[] {
  const children: XmlNode[] = [];
  for (const raw of rawChildren) {
    const key = Object.keys(raw).find((k) => k !== ":@")!;
    if (key === "#text") {
      children.push({ kind: "text", value: decodeReferences(normalizeLineEnds(String(raw["#text"]))) });
    } else if (key === "#cdata") {
      // CDATA is text whose markup characters are literal (no references inside).
      children.push({ kind: "text", value: normalizeLineEnds(textOf(raw["#cdata"] as RawNode[])) });
    } else if (key === "#comment") {
      children.push({ kind: "comment", value: textOf(raw["#comment"] as RawNode[]) });
    } else if (key.startsWith("?")) {
      throw new XmlError("xml_processing_instruction", `processing instruction <${key}> is not allowed`);
    } else {
      children.push(buildElement(key, raw, scope, depth + 1));
    }
  }
  // Adjacent text (around a CDATA section) is one text node, as in the XPath data model.
  return children.reduce<XmlNode[]>((merged, node) => {
    const last = merged[merged.length - 1];
    if (node.kind === "text" && last?.kind === "text") merged[merged.length - 1] = { kind: "text", value: last.value + node.value };
    else merged.push(node);
    return merged;
  }, []);
}

/**
 * Parses one XML document. The caller bounds its size first. Comments and white space outside the root element
 * are allowed and dropped; the XML declaration is allowed; anything else is an error.
 */
export function parseXml(text: string): XmlParseResult {
  try {
    // Checked on the raw text, before any parser sees it: no DTD, so no entity can be declared, internal or external.
    if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new XmlError("xml_doctype_forbidden", "DOCTYPE and ENTITY declarations are not allowed");
    const validation = XMLValidator.validate(text, { allowBooleanAttributes: false, unpairedTags: [] });
    if (validation !== true) throw new XmlError("xml_malformed", `not well-formed XML: ${validation.err.msg}`);
    let raw: RawNode[];
    try {
      raw = parser.parse(text) as RawNode[];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/nested tags/i.test(message)) throw new XmlError("xml_too_deep", `elements nest deeper than ${MAX_XML_DEPTH}`);
      throw new XmlError("xml_malformed", `not well-formed XML: ${message}`);
    }
    const top = raw.filter((node) => {
      const key = Object.keys(node).find((k) => k !== ":@")!;
      if (key === "?xml" || key === "#comment") return false;
      if (key === "#text") {
        if (String(node["#text"]).trim() !== "") throw new XmlError("xml_malformed", "text outside the root element");
        return false;
      }
      if (key.startsWith("?")) throw new XmlError("xml_processing_instruction", `processing instruction <${key}> is not allowed`);
      return true;
    });
    if (top.length !== 1) throw new XmlError("xml_no_root", "a document has exactly one root element");
    const node = top[0]!;
    const name = Object.keys(node).find((k) => k !== ":@")!;
    return { ok: true, root: buildElement(name, node, new Map(), 1) };
  } catch (error) {
    if (error instanceof XmlError) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}

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
import { makeElement, MAX_XML_DEPTH, XmlError, type XmlElement, type XmlNode, type XmlParseResult } from "./element";

export { MAX_XML_DEPTH, XML_NAMESPACE, type XmlAttribute, type XmlElement, type XmlNode, type XmlParseReason, type XmlParseResult } from "./element";

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
  // No callbacks use the element path: building it for every tag is wasted work.
  jPath: false,
});

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML 1.0 §2.2: the characters a document may contain. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Replaces references in raw text: the five predefined entities and character references, nothing else. */
function decodeReferences(raw: string): string {
  if (!raw.includes("&")) return raw;
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
  return raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
}

/** XML 1.0 §3.3.3 (CDATA attribute type): literal white space becomes a space, then references are decoded. */
function attributeValue(raw: string): string {
  const spaced = /[\t\n\r]/.test(raw) ? normalizeLineEnds(raw).replace(/[\t\n]/g, " ") : raw;
  return decodeReferences(spaced);
}

type RawNode = Record<string, unknown>;

function buildElement(name: string, raw: RawNode, parentScope: ReadonlyMap<string, string>, depth: number): XmlElement {
  if (depth > MAX_XML_DEPTH) throw new XmlError("xml_too_deep", `elements nest deeper than ${MAX_XML_DEPTH}`);
  const rawAttributes = (raw[":@"] ?? {}) as Record<string, string>;
  const attributes: [string, string][] = [];
  for (const attributeName in rawAttributes) attributes.push([attributeName, attributeValue(rawAttributes[attributeName]!)]);
  const element = makeElement(name, attributes, parentScope);
  element.children = buildChildren(raw[name] as RawNode[], element.inScope, depth);
  return element;
}

function textOf(raw: RawNode[]): string {
  return raw.map((node) => String(node["#text"] ?? "")).join("");
}

/** The one key of a preserveOrder node other than its attributes (":@"). */
function nodeKey(raw: RawNode): string {
  for (const key in raw) if (key !== ":@") return key;
  throw new XmlError("xml_malformed", "an empty node");
}

function buildChildren(rawChildren: RawNode[], scope: ReadonlyMap<string, string>, depth: number): XmlNode[] {
  const children: XmlNode[] = [];
  for (const raw of rawChildren) {
    const key = nodeKey(raw);
    let node: XmlNode;
    if (key === "#text") {
      node = { kind: "text", value: decodeReferences(normalizeLineEnds(String(raw["#text"]))) };
    } else if (key === "#cdata") {
      // CDATA is text whose markup characters are literal (no references inside).
      node = { kind: "text", value: normalizeLineEnds(textOf(raw["#cdata"] as RawNode[])) };
    } else if (key === "#comment") {
      node = { kind: "comment", value: textOf(raw["#comment"] as RawNode[]) };
    } else if (key.startsWith("?")) {
      throw new XmlError("xml_processing_instruction", `processing instruction <${key}> is not allowed`);
    } else {
      node = buildElement(key, raw, scope, depth + 1);
    }
    // Adjacent text (around a CDATA section) is one text node, as in the XPath data model.
    const last = children[children.length - 1];
    if (node.kind === "text" && last?.kind === "text") children[children.length - 1] = { kind: "text", value: last.value + node.value };
    else children.push(node);
  }
  return children;
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
      const key = nodeKey(node);
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
    const name = nodeKey(node);
    return { ok: true, root: buildElement(name, node, new Map(), 1) };
  } catch (error) {
    if (error instanceof XmlError) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}

/**
 * The parsed-XML data model shared by both readers (parse.ts for untrusted input, canonical-reader.ts for the
 * verified canonical text), and the one place where names are split and namespaces resolved (Namespaces in
 * XML 1.0 §5–6): unbound prefixes, reserved prefixes and repeated expanded attribute names are errors.
 */
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

export class XmlError extends Error {
  constructor(readonly reason: XmlParseReason, detail: string) {
    super(detail);
  }
}

function splitName(name: string): { prefix: string; localName: string } {
  const colon = name.indexOf(":");
  return colon === -1 ? { prefix: "", localName: name } : { prefix: name.slice(0, colon), localName: name.slice(colon + 1) };
}

/**
 * An element (without children yet) from its name and its attributes as written, values already decoded.
 * `xmlns` attributes become namespace declarations; everything else gets its namespace resolved.
 */
export function makeElement(name: string, rawAttributes: readonly (readonly [string, string])[], parentScope: ReadonlyMap<string, string>): XmlElement {
  const declarations: { prefix: string; uri: string }[] = [];
  const plain: (readonly [string, string])[] = [];
  for (const entry of rawAttributes) {
    const attributeName = entry[0];
    if (attributeName === "xmlns") declarations.push({ prefix: "", uri: entry[1] });
    else if (attributeName.startsWith("xmlns:")) declarations.push({ prefix: attributeName.slice(6), uri: entry[1] });
    else plain.push(entry);
  }
  let scope = parentScope;
  if (declarations.length > 0) {
    const next = new Map(parentScope);
    for (const declaration of declarations) {
      if (declaration.prefix !== "" && declaration.uri === "") throw new XmlError("xml_malformed", `xmlns:${declaration.prefix} cannot be undeclared in XML 1.0`);
      if (declaration.prefix === "xml" || declaration.prefix === "xmlns" || declaration.uri === XMLNS_NAMESPACE) {
        throw new XmlError("xml_malformed", "the xml and xmlns prefixes are reserved");
      }
      next.set(declaration.prefix, declaration.uri);
    }
    scope = next;
  }
  const { prefix, localName } = splitName(name);
  const attributes: XmlAttribute[] = [];
  for (const [attributeName, value] of plain) {
    const parts = splitName(attributeName);
    // Unprefixed attributes have no namespace (Namespaces in XML §6.2).
    const namespaceUri = parts.prefix === "" ? "" : resolvePrefix(scope, parts.prefix);
    // Two attributes with one expanded name (a:x and b:x bound to one URI) are an error (Namespaces in XML §6.3).
    for (const earlier of attributes) {
      if (earlier.localName === parts.localName && earlier.namespaceUri === namespaceUri) throw new XmlError("xml_malformed", `attribute ${attributeName} is repeated`);
    }
    attributes.push({ name: attributeName, prefix: parts.prefix, localName: parts.localName, namespaceUri, value });
  }
  const namespaceUri = prefix === "" ? (scope.get("") ?? "") : resolvePrefix(scope, prefix);
  return { kind: "element", name, prefix, localName, namespaceUri, attributes, namespaceDeclarations: declarations, inScope: scope, children: [] };
}

function resolvePrefix(scope: ReadonlyMap<string, string>, prefix: string): string {
  if (prefix === "xml") return XML_NAMESPACE;
  const uri = scope.get(prefix);
  if (uri === undefined) throw new XmlError("xml_unbound_prefix", `the prefix "${prefix}" is not declared`);
  return uri;
}

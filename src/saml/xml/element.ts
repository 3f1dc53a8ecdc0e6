/**
 * The parsed-XML data model shared by both readers (parse.ts for untrusted input, canonical-reader.ts for the
 * verified canonical text), and the one place where names are split and namespaces resolved (Namespaces in
 * XML 1.0 §5–6): unbound prefixes, reserved prefixes and repeated expanded attribute names are errors.
 */
export const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
export const MAX_XML_DEPTH = 64;

/**
 * The end of an XML name starting at `position` (XML 1.0 §2.3 Name: a letter, `_` or `:`, then also digits, `-`,
 * `.`; any non-ASCII character is taken as a name character, as the validator before us already checked names),
 * or `position` itself when no name starts there. How both readers read names.
 */
export function nameEnd(text: string, position: number): number {
  const first = text.charCodeAt(position);
  const isStart = (first >= 97 && first <= 122) || (first >= 65 && first <= 90) || first === 95 || first === 58 || first >= 0xc0;
  if (!isStart) return position;
  let end = position + 1;
  for (;;) {
    const code = text.charCodeAt(end);
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 58 || code === 45 || code === 46 || code === 0xb7 || code >= 0xc0) end++;
    else return end;
  }
}

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
  namespaceDeclarations: readonly { prefix: string; uri: string }[];
  /** Every prefix in scope here, inherited ones included. */
  inScope: ReadonlyMap<string, string>;
  children: readonly XmlNode[];
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

/**
 * An element (without children yet) from its name and its attributes as written, values already decoded.
 * `xmlns` attributes become namespace declarations; everything else gets its namespace resolved.
 */
/** Position, failure and name reading, shared by both readers. */
export abstract class TextCursor {
  protected position = 0;
  constructor(
    protected readonly text: string,
    private readonly description: string,
  ) {}

  protected fail(expected: string): never {
    throw new XmlError("xml_malformed", `${this.description} at offset ${this.position}: ${expected}`);
  }

  protected name(): string {
    const end = nameEnd(this.text, this.position);
    if (end === this.position) this.fail("a name");
    const name = this.text.slice(this.position, end);
    this.position = end;
    return name;
  }
}

/** Shared by every element without namespace declarations (most of them): one allocation less per element. */
const NO_DECLARATIONS: readonly { prefix: string; uri: string }[] = Object.freeze([]);
const NO_CHILDREN: readonly XmlNode[] = Object.freeze([]);

export function makeElement(name: string, rawAttributes: readonly (readonly [string, string])[], parentScope: ReadonlyMap<string, string>): XmlElement {
  let declarations: { prefix: string; uri: string }[] | undefined;
  let scope = parentScope;
  for (const [attributeName, uri] of rawAttributes) {
    if (attributeName !== "xmlns" && !attributeName.startsWith("xmlns:")) continue;
    const prefix = attributeName === "xmlns" ? "" : attributeName.slice(6);
    if (prefix !== "" && uri === "") throw new XmlError("xml_malformed", `xmlns:${prefix} cannot be undeclared in XML 1.0`);
    if (prefix === "xml" || prefix === "xmlns" || uri === XMLNS_NAMESPACE) throw new XmlError("xml_malformed", "the xml and xmlns prefixes are reserved");
    if (scope === parentScope) scope = new Map(parentScope);
    (scope as Map<string, string>).set(prefix, uri);
    (declarations ??= []).push({ prefix, uri });
  }
  const attributes: XmlAttribute[] = [];
  for (const [attributeName, value] of rawAttributes) {
    if (attributeName === "xmlns" || attributeName.startsWith("xmlns:")) continue;
    const colon = attributeName.indexOf(":");
    const attributePrefix = colon === -1 ? "" : attributeName.slice(0, colon);
    const localName = colon === -1 ? attributeName : attributeName.slice(colon + 1);
    // Unprefixed attributes have no namespace (Namespaces in XML §6.2).
    const namespaceUri = colon === -1 ? "" : resolvePrefix(scope, attributePrefix);
    // Two attributes with one expanded name (a:x and b:x bound to one URI) are an error (Namespaces in XML §6.3).
    for (const earlier of attributes) {
      if (earlier.localName === localName && earlier.namespaceUri === namespaceUri) throw new XmlError("xml_malformed", `attribute ${attributeName} is repeated`);
    }
    attributes.push({ name: attributeName, prefix: attributePrefix, localName, namespaceUri, value });
  }
  const colon = name.indexOf(":");
  const prefix = colon === -1 ? "" : name.slice(0, colon);
  const localName = colon === -1 ? name : name.slice(colon + 1);
  const namespaceUri = colon === -1 ? (scope.get("") ?? "") : resolvePrefix(scope, prefix);
  // Readers replace `children` (the shared empty list is never mutated: an element without content keeps it).
  return { kind: "element", name, prefix, localName, namespaceUri, attributes, namespaceDeclarations: declarations ?? NO_DECLARATIONS, inScope: scope, children: NO_CHILDREN };
}

function resolvePrefix(scope: ReadonlyMap<string, string>, prefix: string): string {
  if (prefix === "xml") return XML_NAMESPACE;
  const uri = scope.get(prefix);
  if (uri === undefined) throw new XmlError("xml_unbound_prefix", `the prefix "${prefix}" is not declared`);
  return uri;
}

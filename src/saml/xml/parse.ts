/**
 * Untrusted XML text → a small, namespace-resolved tree, refusing anything a signature check could be fooled by.
 *
 * Two stages, both strict. fast-xml-parser's validator (the only use of that library, every option set) decides
 * whether the text is well-formed XML at all — tags balanced and matched, attributes quoted and not repeated,
 * names and references legal. Only text it accepted reaches the reader below, which builds the tree by the rules
 * of XML 1.0 itself rather than through a generic object mapping: it refuses every construct SAML does not use
 * and decodes and normalises text and attribute values per §2.11 and §3.3.3. (Reading fast-xml-parser's object
 * output instead cost three times as long and needs every one of its lossy defaults turned off.)
 *
 * Attacks this layer stops:
 *  - XXE and entity expansion ("billion laughs"): any DOCTYPE or ENTITY declaration is rejected before anything
 *    else, and references other than XML's five predefined entities and character references are errors;
 *  - comment truncation (CVE-2017-11427 family): comments are kept as nodes, so text is always read whole across
 *    them (`textContent`), never cut at the first one;
 *  - processing instructions smuggled into signed content: any PI other than the XML declaration is rejected;
 *  - prototype pollution and name confusion: element and attribute names are data in arrays, never object keys.
 */
import { XMLValidator } from "fast-xml-parser";
import { makeElement, MAX_XML_DEPTH, TextCursor, XmlError, type XmlElement, type XmlNode, type XmlParseResult } from "./element";

export { MAX_XML_DEPTH, XML_NAMESPACE, type XmlAttribute, type XmlElement, type XmlNode, type XmlParseReason, type XmlParseResult } from "./element";

const VALIDATOR_OPTIONS = { allowBooleanAttributes: false, unpairedTags: [] as string[] };

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** XML 1.0 §2.2: the characters a document may contain. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Replaces references: the five predefined entities and character references, nothing else. */
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

function isSpace(char: string | undefined): boolean {
  return char === " " || char === "\n" || char === "\t" || char === "\r";
}

class DocumentReader extends TextCursor {
  constructor(text: string) {
    super(text, "not well-formed XML");
  }

  private skipSpace(): boolean {
    const start = this.position;
    while (isSpace(this.text[this.position])) this.position++;
    return this.position > start;
  }

  private until(terminator: string, what: string): string {
    const end = this.text.indexOf(terminator, this.position);
    if (end === -1) this.fail(what);
    const value = this.text.slice(this.position, end);
    this.position = end + terminator.length;
    return value;
  }

  /** White space, comments and (rejected) processing instructions around the root element. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith("<!--", this.position)) {
        this.position += 4;
        this.until("-->", "the end of a comment");
      } else if (this.text.startsWith("<?", this.position)) {
        throw new XmlError("xml_processing_instruction", "processing instructions are not allowed");
      } else {
        return;
      }
    }
  }

  document(): XmlElement {
    if (this.text.startsWith("<?xml", this.position) && isSpace(this.text[this.position + 5])) {
      this.position += 5;
      this.until("?>", "the end of the XML declaration");
    }
    this.misc();
    if (this.text[this.position] !== "<") throw new XmlError("xml_no_root", "a document has exactly one root element");
    const root = this.element(new Map(), 1);
    this.misc();
    if (this.position !== this.text.length) {
      if (this.text[this.position] === "<") throw new XmlError("xml_no_root", "a document has exactly one root element");
      this.fail("text after the root element");
    }
    return root;
  }

  private element(scope: ReadonlyMap<string, string>, depth: number): XmlElement {
    if (depth > MAX_XML_DEPTH) throw new XmlError("xml_too_deep", `elements nest deeper than ${MAX_XML_DEPTH}`);
    this.position++; // "<"
    const name = this.name();
    const attributes: [string, string][] = [];
    let empty = false;
    for (;;) {
      const spaced = this.skipSpace();
      const char = this.text[this.position];
      if (char === ">") {
        this.position++;
        break;
      }
      if (char === "/" && this.text[this.position + 1] === ">") {
        this.position += 2;
        empty = true;
        break;
      }
      if (!spaced) this.fail("white space before an attribute");
      const attributeName = this.name();
      this.skipSpace();
      if (this.text[this.position] !== "=") this.fail(`'=' after ${attributeName}`);
      this.position++;
      this.skipSpace();
      const quote = this.text[this.position];
      if (quote !== '"' && quote !== "'") this.fail("a quoted attribute value");
      this.position++;
      const raw = this.until(quote, "the end of an attribute value");
      if (raw.includes("<")) this.fail("'<' in an attribute value");
      attributes.push([attributeName, attributeValue(raw)]);
    }
    const element = makeElement(name, attributes, scope);
    if (!empty) element.children = this.content(name, element.inScope, depth);
    return element;
  }

  /** Adjacent text (around a CDATA section) is one text node, as in the XPath data model. */
  private static pushText(children: XmlNode[], value: string): void {
    const last = children[children.length - 1];
    if (last?.kind === "text") children[children.length - 1] = { kind: "text", value: last.value + value };
    else children.push({ kind: "text", value });
  }

  private content(name: string, scope: ReadonlyMap<string, string>, depth: number): XmlNode[] {
    const children: XmlNode[] = [];
    for (;;) {
      const next = this.text.indexOf("<", this.position);
      if (next === -1) this.fail(`the end tag of ${name}`);
      if (next > this.position) DocumentReader.pushText(children, decodeReferences(normalizeLineEnds(this.text.slice(this.position, next))));
      this.position = next;
      if (this.text.startsWith("</", next)) {
        this.position += 2;
        if (this.name() !== name) this.fail(`the end tag of ${name}`);
        this.skipSpace();
        if (this.text[this.position] !== ">") this.fail(`'>' closing ${name}`);
        this.position++;
        return children;
      }
      if (this.text.startsWith("<!--", next)) {
        this.position += 4;
        children.push({ kind: "comment", value: this.until("-->", "the end of a comment") });
      } else if (this.text.startsWith("<![CDATA[", next)) {
        // CDATA is text whose markup characters are literal (no references inside).
        this.position += 9;
        DocumentReader.pushText(children, normalizeLineEnds(this.until("]]>", "the end of a CDATA section")));
      } else if (this.text.startsWith("<?", next)) {
        throw new XmlError("xml_processing_instruction", "processing instructions are not allowed");
      } else if (this.text.startsWith("<!", next)) {
        this.fail("a declaration inside an element");
      } else {
        children.push(this.element(scope, depth + 1));
      }
    }
  }
}

/**
 * Parses one XML document. The caller bounds its size first. Comments and white space outside the root element
 * are allowed and dropped; the XML declaration is allowed; anything else is an error.
 */
export function parseXml(text: string): XmlParseResult {
  try {
    // Checked on the raw text, before any parser sees it: no DTD, so no entity can be declared, internal or external.
    if (/<!(?:DOCTYPE|ENTITY)/i.test(text)) throw new XmlError("xml_doctype_forbidden", "DOCTYPE and ENTITY declarations are not allowed");
    // Any PI but the declaration, and the declaration anywhere but at the start (where it is not one), is refused.
    for (let at = text.indexOf("<?"); at !== -1; at = text.indexOf("<?", at + 2)) {
      if (at !== 0 || !/^<\?xml\s/.test(text)) throw new XmlError("xml_processing_instruction", "processing instructions are not allowed");
    }
    const validation = XMLValidator.validate(text, VALIDATOR_OPTIONS);
    if (validation !== true) throw new XmlError("xml_malformed", `not well-formed XML: ${validation.err.msg}`);
    return { ok: true, root: new DocumentReader(text).document() };
  } catch (error) {
    if (error instanceof XmlError) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}

/**
 * Reads back the canonical text the signature check verified (exclusive C14N output of `c14n.ts`), so the
 * assertion is consumed from exactly the bytes that were digested — never from the tree the sender built.
 *
 * It accepts only the syntax our canonicaliser emits (C14N 1.0 §2.2–2.3): start and end tags in pairs, attributes
 * in double quotes separated by one space, text escaped as `&amp; &lt; &gt; &#xD;`, attribute values as
 * `&amp; &lt; &quot; &#x9; &#xA; &#xD;` — no declaration, DOCTYPE, comment, PI, CDATA or empty-element tag. Any
 * other byte sequence is a refusal, so this reader cannot be steered into a reading the canonicaliser did not
 * produce. It does not replace the parser for untrusted input (parse.ts); it never sees such input.
 */
import { makeElement, MAX_XML_DEPTH, TextCursor, XmlError, type XmlElement, type XmlNode, type XmlParseResult } from "./element";

const TEXT_ESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#xD;": "\r" };
const ATTRIBUTE_ESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&quot;": '"', "&#x9;": "\t", "&#xA;": "\n", "&#xD;": "\r" };

function unescape(text: string, table: Record<string, string>, where: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&[^;]*;|&/g, (match) => {
    const value = table[match];
    if (value === undefined) throw new XmlError("xml_malformed", `non-canonical ${match} in ${where}`);
    return value;
  });
}

class Reader extends TextCursor {
  constructor(text: string) {
    super(text, "not canonical XML");
  }

  element(scope: ReadonlyMap<string, string>, depth: number): XmlElement {
    if (depth > MAX_XML_DEPTH) throw new XmlError("xml_too_deep", `elements nest deeper than ${MAX_XML_DEPTH}`);
    if (this.text[this.position] !== "<") this.fail("'<'");
    this.position++;
    const name = this.name();
    const attributes: [string, string][] = [];
    while (this.text[this.position] === " ") {
      this.position++;
      const attributeName = this.name();
      if (this.text.startsWith('="', this.position) === false) this.fail('=" after an attribute name');
      const end = this.text.indexOf('"', this.position + 2);
      if (end === -1) this.fail("an attribute value's closing quote");
      const raw = this.text.slice(this.position + 2, end);
      if (raw.includes("<")) this.fail("'<' in an attribute value");
      attributes.push([attributeName, unescape(raw, ATTRIBUTE_ESCAPES, "an attribute value")]);
      this.position = end + 1;
    }
    if (this.text[this.position] !== ">") this.fail("'>'");
    this.position++;
    const element = makeElement(name, attributes, scope);
    const children: XmlNode[] = [];
    for (;;) {
      const next = this.text.indexOf("<", this.position);
      if (next === -1) this.fail(`the end tag of ${name}`);
      if (next > this.position) {
        const raw = this.text.slice(this.position, next);
        if (raw.includes(">") || raw.includes("\r")) this.fail("an unescaped '>' or CR in text");
        children.push({ kind: "text", value: unescape(raw, TEXT_ESCAPES, "text") });
        this.position = next;
      }
      if (this.text.startsWith("</", this.position)) {
        this.position += 2;
        if (this.name() !== name || this.text[this.position] !== ">") this.fail(`the end tag of ${name}`);
        this.position++;
        element.children = children;
        return element;
      }
      children.push(this.element(element.inScope, depth + 1));
    }
  }

  atEnd(): boolean {
    return this.position === this.text.length;
  }
}

export function readCanonicalXml(text: string): XmlParseResult {
  try {
    const reader = new Reader(text);
    const root = reader.element(new Map(), 1);
    if (!reader.atEnd()) throw new XmlError("xml_malformed", "text after the root element");
    return { ok: true, root };
  } catch (error) {
    if (error instanceof XmlError) return { ok: false, reason: error.reason, detail: error.message };
    throw error;
  }
}

/**
 * Exclusive XML Canonicalization 1.0 (W3C REC xml-exc-c14n, 2002), with and without comments, of one element's
 * subtree — the form XML-DSig digests and signs. Pure: tree in, canonical text out.
 *
 * Rules followed (section numbers of the exc-c14n recommendation, and of Canonical XML 1.0 where it defers):
 *  - a namespace declaration is output on an element only where it is *visibly utilized* there (the element's own
 *    prefix, or an attribute's) or named in the InclusiveNamespaces PrefixList, and only if the nearest output
 *    ancestor did not already output the same prefix with the same URI (§3); `xmlns=""` only undoes a default
 *    namespace an output ancestor declared;
 *  - namespace declarations sorted by prefix, then attributes by namespace URI and local name (C14N §2.2);
 *  - `xml:*` attributes are not inherited from ancestors outside the subset (exc-c14n §3, unlike inclusive C14N);
 *  - empty elements as start/end pairs; `&`, `<`, `>`, CR escaped in text; `&`, `<`, `"`, TAB, LF, CR in attributes;
 *  - comments dropped unless `withComments`; an `exclude`d element (the enveloped Signature) left out with its subtree.
 */
import type { XmlElement, XmlNode } from "./parse";

export interface C14nOptions {
  /** InclusiveNamespaces PrefixList; `#default` stands for the default namespace. */
  inclusivePrefixes?: readonly string[];
  withComments?: boolean;
  /** Omitted with its whole subtree: the enveloped-signature transform (XML-DSig §6.6.4). */
  exclude?: XmlElement;
}

function escapeText(text: string): string {
  if (!/[&<>\r]/.test(text)) return text;
  return text.replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#xD;"));
}

function escapeAttribute(value: string): string {
  if (!/[&<"\t\n\r]/.test(value)) return value;
  return value.replace(/[&<"\t\n\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === '"' ? "&quot;" : c === "\t" ? "&#x9;" : c === "\n" ? "&#xA;" : "&#xD;",
  );
}

/** Code-point order, as C14N specifies (not locale order). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function canonicalizeExclusive(element: XmlElement, options: C14nOptions = {}): string {
  const inclusive = (options.inclusivePrefixes ?? []).map((prefix) => (prefix === "#default" ? "" : prefix));
  const out: string[] = [];
  write(element, new Map(), inclusive, options, out);
  return out.join("");
}

function write(element: XmlElement, rendered: ReadonlyMap<string, string>, inclusive: string[], options: C14nOptions, out: string[]): void {
  // Candidate prefixes: the element's own, its attributes', the inclusive list's (usually two or three in all).
  const candidates: string[] = [element.prefix];
  for (const attribute of element.attributes) {
    if (attribute.prefix !== "" && attribute.prefix !== "xml" && !candidates.includes(attribute.prefix)) candidates.push(attribute.prefix);
  }
  for (const prefix of inclusive) if (!candidates.includes(prefix)) candidates.push(prefix);

  let declarations: [string, string][] | undefined;
  for (const prefix of candidates) {
    const uri = element.inScope.get(prefix) ?? (prefix === "" ? "" : undefined);
    if (uri === undefined) continue; // an inclusive prefix not in scope here
    if (prefix === "" && uri === "" && !rendered.get("")) continue; // nothing to undo
    if (rendered.get(prefix) === uri) continue;
    (declarations ??= []).push([prefix, uri]);
  }

  let scope = rendered;
  out.push("<", element.name);
  if (declarations) {
    if (declarations.length > 1) declarations.sort((a, b) => compare(a[0], b[0]));
    const next = new Map(rendered);
    for (const [prefix, uri] of declarations) {
      next.set(prefix, uri);
      out.push(prefix === "" ? " xmlns=\"" : ` xmlns:${prefix}="`, escapeAttribute(uri), '"');
    }
    scope = next;
  }
  const attributes = element.attributes.length > 1 ? [...element.attributes].sort((a, b) => compare(a.namespaceUri, b.namespaceUri) || compare(a.localName, b.localName)) : element.attributes;
  for (const attribute of attributes) out.push(" ", attribute.name, '="', escapeAttribute(attribute.value), '"');
  out.push(">");
  for (const child of element.children) writeNode(child, scope, inclusive, options, out);
  out.push("</", element.name, ">");
}

function writeNode(node: XmlNode, rendered: ReadonlyMap<string, string>, inclusive: string[], options: C14nOptions, out: string[]): void {
  if (node.kind === "text") out.push(escapeText(node.value));
  else if (node.kind === "comment") {
    if (options.withComments) out.push("<!--", node.value, "-->");
  } else if (node !== options.exclude) write(node, rendered, inclusive, options, out);
}

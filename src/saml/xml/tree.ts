/**
 * Reading the parsed tree. Lookups are by namespace URI and local name (never by prefix, which an attacker
 * chooses), and "exactly one" lookups fail when there are none or several — the rule that stops signature-
 * wrapping attacks from making the verifier and the reader look at different elements.
 */
import type { XmlElement, XmlNode } from "./parse";

export function childElements(parent: XmlElement, namespaceUri: string, localName: string): XmlElement[] {
  return parent.children.filter(
    (child): child is XmlElement => child.kind === "element" && child.namespaceUri === namespaceUri && child.localName === localName,
  );
}

export type OneResult = { ok: true; element: XmlElement } | { ok: false; count: number };

export function exactlyOneChild(parent: XmlElement, namespaceUri: string, localName: string): OneResult {
  const found = childElements(parent, namespaceUri, localName);
  return found.length === 1 ? { ok: true, element: found[0]! } : { ok: false, count: found.length };
}

/** The one child of that name, or undefined when there are none or several. */
export function onlyChild(parent: XmlElement, namespaceUri: string, localName: string): XmlElement | undefined {
  const found = exactlyOneChild(parent, namespaceUri, localName);
  return found.ok ? found.element : undefined;
}

/** The attribute without a namespace (SAML's own attributes are unqualified). */
export function attribute(element: XmlElement, localName: string): string | undefined {
  return element.attributes.find((a) => a.namespaceUri === "" && a.localName === localName)?.value;
}

/**
 * All text inside an element, across comments and child elements, in document order. Reading text "up to the
 * first comment" is how `alice@acme.com<!---->.evil.com` became alice (CVE-2017-11427); here it is read whole.
 */
export function textContent(node: XmlNode): string {
  if (node.kind === "text") return node.value;
  if (node.kind === "comment") return "";
  return node.children.map(textContent).join("");
}

/** Every element in the subtree (the element itself first), in document order. */
export function descendants(element: XmlElement, into: XmlElement[] = []): XmlElement[] {
  into.push(element);
  for (const child of element.children) if (child.kind === "element") descendants(child, into);
  return into;
}

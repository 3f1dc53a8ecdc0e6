/**
 * Signing with Debian's xmlsec1 (libxmlsec1 over OpenSSL): an implementation independent of ours. Signs the
 * assertion's template, then the response's, each selected by XPath, as Okta does when it signs both.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ID_ATTRIBUTES = ["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"];

function signOne(xml: string, keyFile: string, certFile: string, xpath: string): string {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-xmlsec-"));
  try {
    const input = join(dir, "in.xml");
    const output = join(dir, "out.xml");
    writeFileSync(input, xml);
    execFileSync("xmlsec1", ["--sign", "--privkey-pem", `${keyFile},${certFile}`, ...ID_ATTRIBUTES, "--node-xpath", xpath, "--output", output, input], { stdio: ["ignore", "ignore", "pipe"] });
    return readFileSync(output, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ASSERTION_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']";
const RESPONSE_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Signature']";

export function signWithXmlsec1(xml: string, keyFile: string, certFile: string, what: "assertion" | "response" | "both"): string {
  let signed = xml;
  if (what === "assertion" || what === "both") signed = signOne(signed, keyFile, certFile, ASSERTION_SIGNATURE);
  if (what === "response" || what === "both") signed = signOne(signed, keyFile, certFile, RESPONSE_SIGNATURE);
  return signed;
}

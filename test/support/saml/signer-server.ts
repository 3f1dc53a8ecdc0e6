/**
 * A signing service for the tests that run inside workerd (which cannot start processes): the test sends what the
 * IdP should say, this Node process builds an Okta-shaped response and signs it with xmlsec1 or xml-crypto, then
 * applies the requested tampering. Listens on 127.0.0.1 only, for the duration of the test run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildEntraResponse } from "./entra-response";
import { buildResponse } from "./okta-response";
import { signWithXmlCrypto } from "./xml-crypto-signer";
import { signWithXmlsec1 } from "./xmlsec1";
import type { KeyName, SignRequest } from "./types";
import { injectComment, wrap } from "./wrapping";

const CERTS = fileURLToPath(new URL("../../fixtures/certs/", import.meta.url));


/** The attacker's key is made for each run: it is in no fixture and no tenant could have configured it. */
function attackerKey(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-attacker-"));
  const key = join(dir, "attacker.key");
  const cert = join(dir, "attacker.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/O=Okta/CN=gatehouse-test"], { stdio: "ignore" });
  return { key, cert };
}

export function startSignerServer(): Promise<{ url: string; server: Server; certificates: Record<KeyName, string> }> {
  const attacker = attackerKey();
  const files: Record<KeyName, { key: string; cert: string }> = {
    rsa: { key: join(CERTS, "idp-rsa.key"), cert: join(CERTS, "idp-rsa.pem") },
    "rsa-next": { key: join(CERTS, "idp-rsa-next.key"), cert: join(CERTS, "idp-rsa-next.pem") },
    ec: { key: join(CERTS, "idp-ec.key"), cert: join(CERTS, "idp-ec.pem") },
    attacker,
  };
  const certificates = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, readFileSync(file.cert, "utf8")])) as Record<KeyName, string>;

  function sign(request: SignRequest): string {
    const file = files[request.key ?? "rsa"];
    const what = request.spec.sign;
    let xml: string;
    if (request.signer === "xml-crypto") {
      if (what === "both" || what === "none") throw new Error("xml-crypto signer: assertion or response");
      xml = signWithXmlCrypto(buildResponse({ ...request.spec, sign: "none" }), readFileSync(file.key, "utf8"), readFileSync(file.cert, "utf8"), what, request.spec.signatureAlgorithm, request.spec.digestAlgorithm);
    } else {
      xml = request.shape === "entra" ? buildEntraResponse(request.spec) : buildResponse(request.spec);
      if (what !== "none") xml = signWithXmlsec1(xml, file.key, file.cert, what);
    }
    if (request.wrap) xml = wrap(xml, request.wrap, "victim@acme.test");
    if (request.tamperNameId !== undefined) xml = xml.replace(`>${request.spec.nameId}</`, `>${request.tamperNameId}</`);
    if (request.commentAt !== undefined) xml = injectComment(xml, request.spec.nameId, request.commentAt);
    if (request.replaceAfterSigning) xml = xml.replace(request.replaceAfterSigning[0], request.replaceAfterSigning[1]);
    if (request.prolog) xml = xml.replace(/^(<\?xml[^>]*\?>)?/, (declaration) => `${declaration}${request.prolog}`);
    return xml;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        if (req.method === "GET" && req.url === "/certificates") {
          res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(certificates));
          return;
        }
        const xml = sign(JSON.parse(Buffer.concat(chunks).toString("utf8")) as SignRequest);
        res.writeHead(200, { "Content-Type": "application/xml" }).end(xml);
      } catch (error) {
        res.writeHead(500, { "Content-Type": "text/plain" }).end(error instanceof Error ? error.stack : String(error));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, server, certificates });
    });
  });
}

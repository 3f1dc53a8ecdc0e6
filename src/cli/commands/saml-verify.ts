/**
 * `saml verify`: checks a saved SAMLResponse offline, with the same verifier the worker runs — the tool an admin
 * reaches for when the IdP says "it works on our side". Accepts the XML, the base64 SAMLResponse, or the
 * URL-encoded form value as copied from a browser's network panel. Exit 0 valid, 1 invalid.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { flagOption, stringListOption, stringOption } from "../args";
import { LocalError, UsageError } from "../errors";
import { displayValue, formatKeyValues, printJson } from "../output";
import { parseCertificate, type CertificateInfo } from "../../saml/certs";
import { DEFAULT_CLOCK_SKEW_SECONDS } from "../../saml/connection";
import { decodeSamlResponse } from "../../saml/acs-decode";
import { verifySamlResponse } from "../../saml/response";
import type { Command, CommandContext } from "./command";

async function readFileText(context: CommandContext, file: string, option: string): Promise<string> {
  try {
    return await readFile(resolve(context.cwd, file), "utf8");
  } catch (error) {
    throw new LocalError(`cannot read ${option} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** XML as is; otherwise a (possibly URL-encoded) base64 SAMLResponse. */
function responseXml(text: string): string {
  const trimmed = text.trim().replace(/^SAMLResponse=/, "");
  if (trimmed.startsWith("<")) return trimmed;
  const decoded = decodeSamlResponse(trimmed.includes("%") ? decodeURIComponent(trimmed) : trimmed);
  if (!decoded.ok) throw new LocalError(`the file is neither XML nor a base64 SAMLResponse (${decoded.failure.reason})`);
  return decoded.xml;
}

function parseNow(value: string | undefined): number {
  if (value === undefined) return Date.now();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--now must be a date such as 2026-12-01T10:00:00Z, got "${value}"`);
  return ms;
}

const verify: Command = {
  path: ["saml", "verify"],
  args: ["file"],
  options: ["cert", "audience", "acs", "issuer", "now", "skew", "allow-sha1"],
  usage: "saml verify <file> --cert <pem> [--cert <pem>] [--audience <entity-id>] [--acs <url>] [--issuer <idp-issuer>] [--now <date>] [--skew <seconds>] [--allow-sha1]",
  summary: "Check a saved SAMLResponse offline: the verdict, the reason, and what it asserts",
  offline: true,
  async run(context) {
    const { line, io, json, arg } = context;
    const certFiles = stringListOption(line, "cert");
    if (certFiles.length === 0) throw new UsageError("saml verify needs --cert <pem> (the IdP's signing certificate)");
    const now = parseNow(stringOption(line, "now"));
    const skewText = stringOption(line, "skew");
    const skew = skewText === undefined ? DEFAULT_CLOCK_SKEW_SECONDS : Number(skewText);
    if (!Number.isInteger(skew) || skew < 0) throw new UsageError("--skew is a whole number of seconds");
    const certificates: CertificateInfo[] = [];
    for (const file of certFiles) {
      // Validity dates are checked against --now, so an old capture can be checked with the certificate of its time.
      const parsed = await parseCertificate(await readFileText(context, file, "--cert"), now);
      if (!parsed.ok) throw new LocalError(`--cert ${file}: ${parsed.message}`);
      certificates.push(parsed.certificate);
    }
    const xml = responseXml(await readFileText(context, arg("file"), "file"));
    const audience = stringOption(line, "audience");
    const acsUrl = stringOption(line, "acs");
    const issuer = stringOption(line, "issuer");
    const skipped = [audience === undefined && "audience", acsUrl === undefined && "recipient/destination", issuer === undefined && "issuer", "InResponseTo and replay (need the tenant's state)"].filter(
      (check): check is string => typeof check === "string",
    );
    const result = await verifySamlResponse(xml, { certificates, allowSha1: flagOption(line, "allow-sha1") }, { audience, acsUrl, issuer, now, clockSkewSeconds: skew, allowIdpInitiated: true });
    if (json) {
      printJson(io, result.ok ? { valid: true, assertion: result.assertion, skipped } : { valid: false, reason: result.failure.reason, detail: result.failure.detail, skipped });
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      io.stdout([`INVALID: ${result.failure.reason}`, formatKeyValues(Object.entries(result.failure.detail).map(([key, value]) => [key, displayValue(value)]), "  "), `not checked: ${skipped.join(", ")}`].join("\n"));
      return 1;
    }
    const a = result.assertion;
    io.stdout(
      [
        "VALID",
        formatKeyValues(
          [
            ["NameID", displayValue(a.nameId)],
            ["issuer", displayValue(a.issuer)],
            ["assertion ID", displayValue(a.assertionId)],
            ["issued", displayValue(a.issueInstant)],
            ["InResponseTo", displayValue(a.inResponseTo ?? "(IdP-initiated)")],
            ["signed", displayValue(a.signed.join(" and "))],
            ["signed by", displayValue(a.signedBy)],
            ...Object.entries(a.attributes).map(([name, values]): [string, string] => [`attribute ${displayValue(name)}`, displayValue(values.join(", "))]),
          ],
          "  ",
        ),
        `not checked: ${skipped.join(", ")}`,
      ].join("\n"),
    );
    return 0;
  },
};

const attempts: Command = {
  path: ["saml", "attempts"],
  args: ["slug"],
  options: ["failures", "limit"],
  usage: "saml attempts <slug> [--failures] [--limit <n>]",
  summary: "List recent sign-in attempts of a tenant, newest first, with the reason of each failure",
  async run({ client, io, json, arg, line }) {
    const limit = stringOption(line, "limit") ?? "50";
    if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 500) throw new UsageError("--limit is a number from 1 to 500");
    const query = new URLSearchParams({ limit });
    if (flagOption(line, "failures")) query.set("result", "failure");
    const body = (await client.request("GET", `/tenants/${encodeURIComponent(arg("slug"))}/sign-ins?${query}`)) as { attempts: Record<string, unknown>[] };
    if (json) return printJson(io, body);
    if (body.attempts.length === 0) return io.stdout("no sign-in attempts");
    io.stdout(
      body.attempts
        .map((attempt) => `${displayValue(attempt.at)}  ${attempt.result === "success" ? "ok     " : "FAILED "} ${displayValue(attempt.nameId)}  ${attempt.reason ? displayValue(attempt.reason) : ""}${attempt.reason ? `  ${displayValue(attempt.detail)}` : ""}`)
        .join("\n"),
    );
  },
};

export const samlVerifyCommands: readonly Command[] = [verify, attempts];

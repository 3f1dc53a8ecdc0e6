/** `saml set`: connect a tenant to its IdP, from explicit values or from the IdP's metadata XML. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { stringListOption, stringOption } from "../args";
import { isNodeError } from "../dev-vars";
import { LocalError, UsageError } from "../errors";
import { displayDate, displayValue, formatKeyValues, printJson } from "../output";
import { expectObject, expectObjectArray } from "../response";
import { segment, type Command, type CommandContext } from "./command";

/** Either metadata, or all three explicit values; mixing them would leave it unclear which one wins. */
async function buildSamlBody(context: CommandContext): Promise<Record<string, unknown>> {
  const { line } = context;
  const metadataFile = stringOption(line, "metadata-file");
  const ssoUrl = stringOption(line, "sso-url");
  const issuer = stringOption(line, "issuer");
  const certFiles = stringListOption(line, "cert-file");

  if (metadataFile !== undefined) {
    if (ssoUrl !== undefined || issuer !== undefined || certFiles.length > 0) {
      throw new UsageError("use either --metadata-file or --sso-url/--issuer/--cert-file, not both");
    }
    return { metadataXml: await readText(context, metadataFile, "--metadata-file") };
  }
  if (ssoUrl === undefined || issuer === undefined || certFiles.length === 0) {
    throw new UsageError("saml set needs --sso-url, --issuer and at least one --cert-file (or --metadata-file)");
  }
  // Several certificates let a tenant roll its IdP signing key without a window where logins fail.
  const certificates = await Promise.all(certFiles.map((file) => readText(context, file, "--cert-file")));
  return { ssoUrl, issuer, certificates };
}

/** The file's text, sent as is: the server parses and validates PEM and XML, one rule set in one place. */
async function readText(context: CommandContext, file: string, option: string): Promise<string> {
  try {
    return await readFile(resolve(context.cwd, file), "utf8");
  } catch (error) {
    const reason = isNodeError(error) ? error.code : error instanceof Error ? error.message : String(error);
    throw new LocalError(`cannot read ${option} ${file}: ${reason}`);
  }
}

const set: Command = {
  path: ["saml", "set"],
  args: ["slug"],
  options: ["sso-url", "issuer", "cert-file", "metadata-file"],
  usage: "saml set <slug> (--sso-url <url> --issuer <entity-id> --cert-file <pem> [--cert-file <pem>] | --metadata-file <xml>)",
  summary: "Configure the tenant's SAML IdP (Okta: SSO URL, issuer, signing certificate)",
  async run(context) {
    const body = await buildSamlBody(context);
    const { client, io, json, arg } = context;
    const result = await client.request("PUT", `/tenants/${segment(arg("slug"))}/saml`, body);
    if (json) return printJson(io, result);
    const saml = expectObject(result, "saml set");
    const certificates = expectObjectArray(saml, "certificates", "saml set");
    const lines = [
      `SAML connection of ${displayValue(arg("slug"))} saved`,
      "",
      formatKeyValues(
        [
          ["SSO URL", displayValue(saml.ssoUrl)],
          ["issuer", displayValue(saml.issuer)],
        ],
        "  ",
      ),
    ];
    certificates.forEach((cert, i) => {
      lines.push(
        "",
        `  certificate ${i + 1}`,
        formatKeyValues(
          [
            ["SHA-256", displayValue(cert.fingerprintSha256)],
            ["subject", displayValue(cert.subject)],
            ["not after", displayDate(cert.notAfter)],
          ],
          "    ",
        ),
      );
    });
    io.stdout(lines.join("\n"));
  },
};

export const samlCommands: readonly Command[] = [set];

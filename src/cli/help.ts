/** Help text, built from the command table so it cannot drift from what the parser accepts. */
import { GLOBAL_OPTIONS, type OptionName } from "./args";
import type { Command } from "./commands/command";
import { COMMANDS } from "./commands/index";
import { DEFAULT_URL } from "./connection";
import { formatKeyValues } from "./output";

const OPTION_HELP: Record<OptionName, string> = {
  url: `Gatehouse base URL (default ${DEFAULT_URL})`,
  "operator-token": "operator API token (default: $GATEHOUSE_OPERATOR_TOKEN, else OPERATOR_TOKEN in ./.dev.vars)",
  json: "print the server's JSON answer on one line (errors: {\"error\": ...})",
  help: "show help",
  name: "display name of the tenant",
  "sso-url": "IdP single sign-on URL (Okta: \"Identity Provider Single Sign-On URL\")",
  issuer: "IdP entity ID (Okta: \"Identity Provider Issuer\"); for saml verify, the issuer the response must name; for oidc set, the Okta domain (https://…)",
  "cert-file": "PEM file of the IdP signing certificate; repeat to trust two during a rollover",
  "metadata-file": "IdP metadata XML file, instead of --sso-url/--issuer/--cert-file",
  "grace-hours": "hours the previous tokens keep working (default 24; 0 = stop now)",
  cert: "PEM file of the IdP signing certificate to verify with; repeat for two",
  audience: "the SP entity ID the response must name (the tenant origin); not checked when absent",
  acs: "the ACS URL the response must be sent to (…/okta/auth); not checked when absent",
  now: "check times as of this date instead of now (ISO 8601), e.g. for an old capture",
  skew: "clock skew allowed, in seconds (default 180)",
  "allow-sha1": "accept SHA-1 signatures and digests (legacy IdPs)",
  failures: "only failed attempts",
  failed: "only events whose delivery failed",
  limit: "how many attempts or events (default 50, at most 500)",
  "client-id": "client ID of the IdP's OIDC app",
  "client-secret": "client secret of a confidential OIDC app (leave out for a public app: PKCE only)",
  "groups-claim": "ID token claim that lists the user's groups (default groups)",
  "groups-source": "claim (memberships follow the claim at each sign-in, the default) or scim (the claim is ignored)",
};

function optionRows(names: readonly OptionName[]): Array<[string, string]> {
  return names.map((name) => [name === "help" ? "-h, --help" : `--${name}`, OPTION_HELP[name]]);
}

export function generalHelp(): string {
  return [
    "gatehouse: operate a Gatehouse deployment (tenants, SAML connections, SCIM tokens, API keys, webhooks, admin links)",
    "",
    "Usage: gatehouse <command> [options]",
    "",
    "Commands:",
    formatKeyValues(COMMANDS.map((command) => [command.usage.split(" (")[0] ?? command.usage, command.summary]), "  "),
    "",
    "Global options:",
    formatKeyValues(optionRows(GLOBAL_OPTIONS), "  "),
    "",
    "Exit codes: 0 success, 1 the request failed, 2 usage error.",
    "Run `gatehouse <command> --help` for a command's options.",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: gatehouse ${command.usage}`, "", command.summary];
  if (command.options.length > 0) lines.push("", "Options:", formatKeyValues(optionRows(command.options), "  "));
  lines.push("", "Global options:", formatKeyValues(optionRows(GLOBAL_OPTIONS), "  "));
  return lines.join("\n");
}

export function groupHelp(commands: readonly Command[]): string {
  return ["Usage:", ...commands.map((command) => `  gatehouse ${command.usage}`), "", "Run `gatehouse <command> --help` for details."].join("\n");
}

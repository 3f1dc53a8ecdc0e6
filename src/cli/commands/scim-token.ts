/** `scim-token issue | list | revoke`: the bearer tokens an IdP uses for SCIM provisioning. */
import { stringOption, type ParsedLine } from "../args";
import { UsageError } from "../errors";
import { displayDate, displayValue, formatKeyValues, formatTable, printJson } from "../output";
import { expectObject, expectObjectArray } from "../response";
import { segment, type Command } from "./command";

/**
 * Rotation without an outage: the IdP keeps the old token until an admin pastes the new one, so by default the
 * previous tokens stay valid for a day. 0 makes them stop at once (for a leaked token).
 */
const DEFAULT_GRACE_HOURS = 24;

function parseGraceSeconds(line: ParsedLine): number {
  const text = stringOption(line, "grace-hours");
  if (text === undefined) return DEFAULT_GRACE_HOURS * 3600;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--grace-hours must be a number of hours (0 or more), got "${text}"`);
  return Math.round(Number(text) * 3600);
}

const issue: Command = {
  path: ["scim-token", "issue"],
  args: ["slug"],
  options: ["grace-hours"],
  usage: "scim-token issue <slug> [--grace-hours <hours>]",
  summary: `Issue a new SCIM token; earlier tokens expire after the grace period (default ${DEFAULT_GRACE_HOURS} h, 0 = now)`,
  async run({ client, io, json, arg, line }) {
    const graceSeconds = parseGraceSeconds(line);
    const body = await client.request("POST", `/tenants/${segment(arg("slug"))}/scim-tokens`, { graceSeconds });
    if (json) return printJson(io, body);
    const token = expectObject(body, "scim-token issue");
    const previous = token.previousTokensExpireAt;
    io.stdout(
      [
        `New SCIM token for ${displayValue(arg("slug"))}. It is shown once: store it now, it cannot be shown again.`,
        "",
        `    ${displayValue(token.token)}`,
        "",
        formatKeyValues(
          [
            ["id", displayValue(token.id)],
            ["hint", displayValue(token.hint)],
            ["created", displayDate(token.createdAt)],
            ["SCIM base URL", displayValue(token.scimBaseUrl)],
            ["previous tokens", previous === null || previous === undefined ? "none active" : `expire ${displayDate(previous)}`],
          ],
          "  ",
        ),
      ].join("\n"),
    );
  },
};

const list: Command = {
  path: ["scim-token", "list"],
  args: ["slug"],
  options: [],
  usage: "scim-token list <slug>",
  summary: "List a tenant's SCIM tokens (hints only, never the tokens)",
  async run({ client, io, json, arg }) {
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}/scim-tokens`);
    if (json) return printJson(io, body);
    const tokens = expectObjectArray(expectObject(body, "scim-token list"), "tokens", "scim-token list");
    if (tokens.length === 0) return io.stdout(`No SCIM tokens. Issue one with: gatehouse scim-token issue ${arg("slug")}`);
    io.stdout(
      formatTable(
        ["ID", "HINT", "STATUS", "CREATED", "EXPIRES", "LAST USED", "REVOKED"],
        tokens.map((t) => [
          displayValue(t.id),
          displayValue(t.hint),
          displayValue(t.status),
          displayDate(t.createdAt),
          displayDate(t.expiresAt),
          displayDate(t.lastUsedAt),
          displayDate(t.revokedAt),
        ]),
      ),
    );
  },
};

const revoke: Command = {
  path: ["scim-token", "revoke"],
  args: ["slug", "tokenId"],
  options: [],
  usage: "scim-token revoke <slug> <tokenId>",
  summary: "Revoke one SCIM token at once",
  async run({ client, io, json, arg }) {
    const body = await client.request("DELETE", `/tenants/${segment(arg("slug"))}/scim-tokens/${segment(arg("tokenId"))}`);
    if (json) return printJson(io, body);
    const result = expectObject(body, "scim-token revoke");
    io.stdout(`Revoked SCIM token ${displayValue(result.id)}`);
  },
};

export const scimTokenCommands: readonly Command[] = [issue, list, revoke];

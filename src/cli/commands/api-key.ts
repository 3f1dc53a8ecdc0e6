/** `api-key issue | list | revoke`: the keys a host app reads the tenant's directory with (`/api/directory/*`). */
import { displayDate, displayValue, formatKeyValues, formatTable, printJson } from "../output";
import { expectObject, expectObjectArray } from "../response";
import { segment, type Command } from "./command";

const issue: Command = {
  path: ["api-key", "issue"],
  args: ["slug"],
  options: [],
  usage: "api-key issue <slug>",
  summary: "Issue a host-app API key for the directory API (shown once)",
  async run({ client, io, json, arg }) {
    const body = await client.request("POST", `/tenants/${segment(arg("slug"))}/api-keys`);
    if (json) return printJson(io, body);
    const key = expectObject(body, "api-key issue");
    io.stdout(
      [
        `New API key for ${displayValue(arg("slug"))}. It is shown once: store it now, it cannot be shown again.`,
        "",
        `    ${displayValue(key.key)}`,
        "",
        formatKeyValues(
          [
            ["id", displayValue(key.id)],
            ["hint", displayValue(key.hint)],
            ["created", displayDate(key.createdAt)],
            ["directory API", displayValue(key.directoryUrl)],
          ],
          "  ",
        ),
        "",
        "  Send it as: Authorization: Bearer <key>",
      ].join("\n"),
    );
  },
};

const list: Command = {
  path: ["api-key", "list"],
  args: ["slug"],
  options: [],
  usage: "api-key list <slug>",
  summary: "List a tenant's API keys (hints only, never the keys)",
  async run({ client, io, json, arg }) {
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}/api-keys`);
    if (json) return printJson(io, body);
    const keys = expectObjectArray(expectObject(body, "api-key list"), "keys", "api-key list");
    if (keys.length === 0) return io.stdout(`No API keys. Issue one with: gatehouse api-key issue ${arg("slug")}`);
    io.stdout(
      formatTable(
        ["ID", "HINT", "STATUS", "CREATED", "LAST USED", "REVOKED"],
        keys.map((k) => [displayValue(k.id), displayValue(k.hint), displayValue(k.status), displayDate(k.createdAt), displayDate(k.lastUsedAt), displayDate(k.revokedAt)]),
      ),
    );
  },
};

const revoke: Command = {
  path: ["api-key", "revoke"],
  args: ["slug", "keyId"],
  options: [],
  usage: "api-key revoke <slug> <keyId>",
  summary: "Revoke one API key at once",
  async run({ client, io, json, arg }) {
    const body = await client.request("DELETE", `/tenants/${segment(arg("slug"))}/api-keys/${segment(arg("keyId"))}`);
    if (json) return printJson(io, body);
    const result = expectObject(body, "api-key revoke");
    io.stdout(`Revoked API key ${displayValue(result.id)}`);
  },
};

export const apiKeyCommands: readonly Command[] = [issue, list, revoke];

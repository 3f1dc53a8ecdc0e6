/** `admin-link`: a one-time URL that signs the first tenant admin into the console, before SSO is set up. */
import { displayDate, displayValue, printJson } from "../output";
import { expectObject } from "../response";
import { segment, type Command } from "./command";

const adminLink: Command = {
  path: ["admin-link"],
  args: ["slug"],
  options: [],
  usage: "admin-link <slug>",
  summary: "Mint a one-time sign-in link into the tenant's admin console",
  async run({ client, io, json, arg }) {
    const body = await client.request("POST", `/tenants/${segment(arg("slug"))}/admin-links`, {});
    if (json) return printJson(io, body);
    const link = expectObject(body, "admin-link");
    io.stdout(
      [
        `One-time admin console link for ${displayValue(arg("slug"))} (valid until ${displayDate(link.expiresAt)}, works once):`,
        "",
        `    ${displayValue(link.url)}`,
      ].join("\n"),
    );
  },
};

export const adminLinkCommands: readonly Command[] = [adminLink];

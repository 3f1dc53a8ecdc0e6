/** `tenant create | list | show | delete`. */
import { stringOption } from "../args";
import { displayDate, displayValue, formatKeyValues, formatTable, printJson } from "../output";
import { expectObject, expectObjectArray, type JsonObject } from "../response";
import { segment, type Command } from "./command";

/** What an IdP admin needs to paste into Okta comes right after the identity of the tenant. */
export function formatTenant(tenant: JsonObject, indent = ""): string {
  return formatKeyValues(
    [
      ["slug", displayValue(tenant.slug)],
      ["name", displayValue(tenant.name)],
      ["id", displayValue(tenant.id)],
      ["created", displayDate(tenant.createdAt)],
      ["origin", displayValue(tenant.origin)],
      ["entity ID / audience", displayValue(tenant.entityId)],
      ["ACS URL", displayValue(tenant.acsUrl)],
      ["SCIM base URL", displayValue(tenant.scimBaseUrl)],
      ["metadata URL", displayValue(tenant.metadataUrl)],
      ["login URL", displayValue(tenant.loginUrl)],
    ],
    indent,
  );
}

const create: Command = {
  path: ["tenant", "create"],
  args: ["slug"],
  options: ["name"],
  usage: "tenant create <slug> [--name <name>]",
  summary: "Create a tenant served at {slug}.{GATEHOUSE_DOMAIN}",
  async run({ client, io, json, arg, line }) {
    const name = stringOption(line, "name");
    const slug = arg("slug");
    const body = await client.request("POST", "/tenants", name === undefined ? { slug } : { slug, name });
    if (json) return printJson(io, body);
    io.stdout(`Created tenant ${displayValue(slug)}\n\n${formatTenant(expectObject(body, "tenant create"), "  ")}`);
  },
};

const list: Command = {
  path: ["tenant", "list"],
  args: [],
  options: [],
  usage: "tenant list",
  summary: "List all tenants",
  async run({ client, io, json }) {
    const body = await client.request("GET", "/tenants");
    if (json) return printJson(io, body);
    const tenants = expectObjectArray(expectObject(body, "tenant list"), "tenants", "tenant list");
    if (tenants.length === 0) return io.stdout("No tenants yet. Create one with: gatehouse tenant create <slug>");
    io.stdout(
      formatTable(
        ["SLUG", "NAME", "CREATED", "ORIGIN"],
        tenants.map((t) => [displayValue(t.slug), displayValue(t.name), displayDate(t.createdAt), displayValue(t.origin)]),
      ),
    );
  },
};

const show: Command = {
  path: ["tenant", "show"],
  args: ["slug"],
  options: [],
  usage: "tenant show <slug>",
  summary: "Show a tenant and the URLs to configure in the IdP",
  async run({ client, io, json, arg }) {
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}`);
    if (json) return printJson(io, body);
    io.stdout(formatTenant(expectObject(body, "tenant show")));
  },
};

const remove: Command = {
  path: ["tenant", "delete"],
  args: ["slug"],
  options: [],
  usage: "tenant delete <slug>",
  summary: "Delete a tenant with all its users, groups, tokens and settings",
  async run({ client, io, json, arg }) {
    const body = await client.request("DELETE", `/tenants/${segment(arg("slug"))}`);
    if (json) return printJson(io, body);
    const result = expectObject(body, "tenant delete");
    io.stdout(
      `Deleted tenant ${displayValue(result.slug)} ` +
        `(${displayValue(result.users)} users, ${displayValue(result.groups)} groups removed)`,
    );
  },
};

export const tenantCommands: readonly Command[] = [create, list, show, remove];

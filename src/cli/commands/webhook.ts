/** `webhook set | show | remove`: where a tenant's events are delivered, and the secret that signs them. */
import { displayDate, displayValue, formatKeyValues, printJson } from "../output";
import { expectObject, type JsonObject } from "../response";
import { segment, type Command } from "./command";

function formatDeliveries(deliveries: JsonObject): Array<[string, string]> {
  const failure = deliveries.lastFailure as JsonObject | null | undefined;
  return [
    ["pending", displayValue(deliveries.pending)],
    ["delivered", displayValue(deliveries.delivered)],
    ["failed", displayValue(deliveries.failed)],
    ["last delivered", displayDate(deliveries.lastDeliveredAt)],
    ["last failure", failure ? `${displayValue(failure.eventId)}: ${displayValue(failure.error)}` : "-"],
  ];
}

const set: Command = {
  path: ["webhook", "set"],
  args: ["slug", "url"],
  options: [],
  usage: "webhook set <slug> <url>",
  summary: "Deliver the tenant's events to <url> (https), signed with a new secret (shown once)",
  async run({ client, io, json, arg }) {
    const body = await client.request("PUT", `/tenants/${segment(arg("slug"))}/webhook`, { url: arg("url") });
    if (json) return printJson(io, body);
    const webhook = expectObject(body, "webhook set");
    io.stdout(
      [
        `Events of ${displayValue(arg("slug"))} now go to ${displayValue(webhook.url)}.`,
        "The signing secret is shown once: store it in the host app now, it cannot be shown again.",
        "",
        `    ${displayValue(webhook.secret)}`,
        "",
        "  Verify each delivery's Gatehouse-Signature header with it (README: Events and webhooks).",
      ].join("\n"),
    );
  },
};

const show: Command = {
  path: ["webhook", "show"],
  args: ["slug"],
  options: [],
  usage: "webhook show <slug>",
  summary: "Show the tenant's webhook and how its deliveries are going (never the secret)",
  async run({ client, io, json, arg }) {
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}/webhook`);
    if (json) return printJson(io, body);
    const webhook = expectObject(body, "webhook show");
    io.stdout(
      formatKeyValues([
        ["url", displayValue(webhook.url)],
        ["secret", displayValue(webhook.secretHint)],
        ["created", displayDate(webhook.createdAt)],
        ["updated", displayDate(webhook.updatedAt)],
        ...formatDeliveries(expectObject(webhook.deliveries, "webhook show")),
      ]),
    );
  },
};

const remove: Command = {
  path: ["webhook", "remove"],
  args: ["slug"],
  options: [],
  usage: "webhook remove <slug>",
  summary: "Stop delivering the tenant's events (they stay readable through the directory API)",
  async run({ client, io, json, arg }) {
    const body = await client.request("DELETE", `/tenants/${segment(arg("slug"))}/webhook`);
    if (json) return printJson(io, body);
    io.stdout(`Removed the webhook of ${displayValue(arg("slug"))}; events are no longer delivered.`);
  },
};

export const webhookCommands: readonly Command[] = [set, show, remove];

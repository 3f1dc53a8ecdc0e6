/** `events <slug> [--failed]` and `events redeliver <slug> <eventId>`: each event's delivery to the webhook. */
import { flagOption, stringOption } from "../args";
import { UsageError } from "../errors";
import { displayDate, displayValue, formatTable, printJson } from "../output";
import { expectObject, expectObjectArray, type JsonObject } from "../response";
import { segment, type Command } from "./command";

function readLimit(text: string | undefined): number {
  if (text === undefined) return 50;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 500) throw new UsageError(`--limit must be a whole number from 1 to 500, got "${text}"`);
  return Number(text);
}

function resourceOf(event: JsonObject): string {
  const resource = event.resource as JsonObject | null | undefined;
  return resource ? `${displayValue(resource.type)} ${displayValue(resource.id)}` : "-";
}

/** Before `events` in the table: the command with the longer path must be matched first (index.ts). */
const redeliver: Command = {
  path: ["events", "redeliver"],
  args: ["slug", "eventId"],
  options: [],
  usage: "events redeliver <slug> <eventId>",
  summary: "Send one event to the webhook again (delivered or failed), ahead of the pending ones",
  async run({ client, io, json, arg }) {
    const body = await client.request("POST", `/tenants/${segment(arg("slug"))}/events/${segment(arg("eventId"))}/redeliver`);
    if (json) return printJson(io, body);
    io.stdout(`Event ${displayValue(expectObject(body, "events redeliver").id)} is queued for delivery again.`);
  },
};

const list: Command = {
  path: ["events"],
  args: ["slug"],
  options: ["failed", "limit"],
  usage: "events <slug> [--failed] [--limit 50]",
  summary: "List the tenant's events, newest first, with each one's delivery status and last error",
  async run({ client, io, json, arg, line }) {
    const query = new URLSearchParams({ limit: String(readLimit(stringOption(line, "limit"))) });
    if (flagOption(line, "failed")) query.set("status", "failed");
    const body = await client.request("GET", `/tenants/${segment(arg("slug"))}/events?${query}`);
    if (json) return printJson(io, body);
    const events = expectObjectArray(expectObject(body, "events"), "events", "events");
    if (events.length === 0) return io.stdout(flagOption(line, "failed") ? "No failed deliveries." : "No events yet.");
    io.stdout(
      formatTable(
        ["SEQ", "ID", "TYPE", "OCCURRED", "RESOURCE", "STATUS", "ATTEMPTS", "LAST ERROR"],
        events.map((e) => [displayValue(e.seq), displayValue(e.id), displayValue(e.type), displayDate(e.occurredAt), resourceOf(e), displayValue(e.deliveryStatus), displayValue(e.attempts), displayValue(e.lastError)]),
      ),
    );
  },
};

export const eventCommands: readonly Command[] = [redeliver, list];

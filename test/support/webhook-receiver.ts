/**
 * A host app's webhook endpoint for the tests that run inside workerd: a real HTTP server on 127.0.0.1 that
 * records every delivery and checks its signature independently of the code under test (node:crypto HMAC and
 * timingSafeEqual), and answers as a test tells it — a number of failures first, or always a failure or a redirect.
 *
 *   PUT  /receivers/{name}  {secret?, failFirst?, always?: "error" | "redirect"}   set up (or reset) a receiver
 *   POST /hooks/{name}      a delivery: recorded, then answered 200, or 500 / 302 as told
 *   GET  /receivers/{name}  {deliveries: [...], attempts: n}   what it received (deliveries = the ones answered 2xx)
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { ReceivedDelivery } from "./webhook-types";

/** The replay window a careful host app allows (README, "Events and webhooks"). */
const TOLERANCE_SECONDS = 300;

interface Receiver {
  secret: string | undefined;
  failFirst: number;
  always: "error" | "redirect" | undefined;
  attempts: ReceivedDelivery[];
}

function verifySignature(secret: string | undefined, header: string | undefined, rawBody: string): boolean {
  if (!secret || !header) return false;
  const fields = new Map(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const timestamp = fields.get("t");
  const presented = fields.get("v1");
  if (!timestamp || !presented || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest();
  const given = Buffer.from(presented, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function startWebhookReceiver(): Promise<{ url: string; server: Server }> {
  const receivers = new Map<string, Receiver>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const [, kind, name] = (req.url ?? "").split("/");
    const json = (status: number, value: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    if (kind === "receivers" && name && req.method === "PUT") {
      const options = JSON.parse(body || "{}") as { secret?: string; failFirst?: number; always?: "error" | "redirect" };
      const previous = receivers.get(name);
      receivers.set(name, { secret: options.secret, failFirst: options.failFirst ?? 0, always: options.always, attempts: previous?.attempts ?? [] });
      return json(200, { ok: true });
    }
    if (kind === "receivers" && name && req.method === "GET") {
      const attempts = receivers.get(name)?.attempts ?? [];
      return json(200, { deliveries: attempts.filter((attempt) => attempt.status === 200), attempts: attempts.length });
    }
    if (kind === "hooks" && name && req.method === "POST") {
      const receiver = receivers.get(name) ?? { secret: undefined, failFirst: 0, always: undefined, attempts: [] };
      receivers.set(name, receiver);
      const failing = receiver.always !== undefined || receiver.failFirst > 0;
      if (receiver.failFirst > 0) receiver.failFirst -= 1;
      const status = !failing ? 200 : receiver.always === "redirect" ? 302 : 500;
      receiver.attempts.push({
        eventId: header(req, "Gatehouse-Event-Id"),
        eventType: header(req, "Gatehouse-Event-Type"),
        body: parseJson(body),
        signatureValid: verifySignature(receiver.secret, header(req, "Gatehouse-Signature"), body),
        status,
      });
      // A followed redirect would show up as a delivery to `{name}-redirected`, which no test expects.
      if (status === 302) return res.writeHead(302, { Location: `/hooks/${name}-redirected` }).end();
      return json(status, { ok: status === 200 });
    }
    return json(404, { error: "unknown receiver route" });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

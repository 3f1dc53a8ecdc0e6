/**
 * Which URLs may receive a tenant's events. Pure: the text in, a normalised URL or one reason out.
 *
 * - `https:` only, so events (names, emails, group changes) and their signatures never cross the network in the
 *   clear; `http:` only for loopback (`localhost`, `*.localhost`, `127.0.0.1`), the host app on a developer's machine.
 * - No `user:password@`: a credential in a URL ends up in logs and screens; the signature authenticates us instead.
 * - Private and reserved address literals are refused — 10/8, 172.16/12, 192.168/16, 169.254/16 (where cloud
 *   metadata services answer), 100.64/10, 127/8, 0/8, multicast and above, and every IPv6 literal outside global
 *   unicast 2000::/3 — and so are single-label names (`intranet`): together they stop the webhook from being aimed
 *   at an internal service (server-side request forgery) should the Worker ever gain a route into a private
 *   network. Names are not resolved here, so a public name that resolves to a private address is not caught; on
 *   Cloudflare, Workers' outbound fetches go to the public internet, where such addresses are not routed.
 *   Accepted trade-off.
 * - At most 2,048 characters; no fragment (it is never sent, so it could only mislead).
 */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: WebhookUrlRefusal; message: string };

export type WebhookUrlRefusal = "empty" | "too_long" | "not_a_url" | "not_https" | "credentials" | "fragment" | "private_address" | "single_label_host";

const MESSAGES: Record<WebhookUrlRefusal, string> = {
  empty: "Enter the URL that receives the events.",
  too_long: `At most ${MAX_WEBHOOK_URL_LENGTH} characters.`,
  not_a_url: "This is not a URL (it should look like https://app.example.com/webhooks/gatehouse).",
  not_https: "The URL must start with https:// (http:// only for localhost or 127.0.0.1, on a developer machine).",
  credentials: "Remove the user name and password from the URL: deliveries are authenticated by their signature.",
  fragment: "Remove the #fragment: it is never sent to the receiver.",
  private_address: "This address is private or reserved: use the receiver's public host name.",
  single_label_host: "Use the receiver's full public host name (with a dot), not a local name.",
};

function refuse(reason: WebhookUrlRefusal): WebhookUrlCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "127.0.0.1";
}

/** The URL parser has already turned every IPv4 spelling (`0x7f.1`, `2130706433`) into dotted decimal. */
function isPrivateIpv4(hostname: string): boolean | undefined {
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname)?.slice(1).map(Number);
  if (!parts) return undefined;
  const [a, b] = parts as [number, number, number, number];
  return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Bracketed and compressed by the URL parser (`[::ffff:a00:1]`); only global unicast 2000::/3 is public. */
function isPrivateIpv6(hostname: string): boolean | undefined {
  if (!hostname.startsWith("[")) return undefined;
  const first = hostname.slice(1).split(":")[0] ?? "";
  const group = first === "" ? 0 : parseInt(first, 16);
  return !(group >= 0x2000 && group <= 0x3fff);
}

export function validateWebhookUrl(input: string): WebhookUrlCheck {
  const text = input.trim();
  if (text === "") return refuse("empty");
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return refuse("too_long");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse("not_a_url");
  }
  const hostname = url.hostname;
  const loopback = isLoopback(hostname);
  if (!(url.protocol === "https:" || (url.protocol === "http:" && loopback))) return refuse(url.protocol === "http:" || url.protocol === "https:" ? "not_https" : "not_a_url");
  if (url.username !== "" || url.password !== "") return refuse("credentials");
  if (text.includes("#")) return refuse("fragment");
  if (!loopback) {
    if (isPrivateIpv4(hostname) || isPrivateIpv6(hostname)) return refuse("private_address");
    if (!hostname.includes(".") && !hostname.startsWith("[")) return refuse("single_label_host");
  }
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) return refuse("too_long");
  return { ok: true, url: url.href };
}

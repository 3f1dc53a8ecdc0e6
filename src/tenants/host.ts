/**
 * Which tenant a request is for, from its host — before any other work, so an unknown host costs one string check.
 *
 * Tenant isolation starts here: the slug is taken from exactly one DNS label directly under the configured domain
 * (`acme.theirapp.com`); `a.b.theirapp.com`, `theirapp.com.evil.com` and lookalikes are not tenants.
 */
import type { Config } from "../config";

export type HostKind = { kind: "tenant"; slug: string } | { kind: "operator" } | { kind: "unknown" };

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "::1"]);

function hostnameOf(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  return lower.replace(/:\d+$/, "").replace(/\.$/, "");
}

function classify(config: Config, hostname: string): HostKind {
  const suffix = `.${config.domain}`;
  if (hostname.endsWith(suffix)) {
    const label = hostname.slice(0, -suffix.length);
    if (/^[a-z0-9-]+$/.test(label)) return { kind: "tenant", slug: label };
    return { kind: "unknown" };
  }
  if (hostname === config.domain || hostname === config.operatorHost) return { kind: "operator" };
  // Loopback literals only ever reach a local run (wrangler dev, Miniflare): the CLI's default target.
  if (LOOPBACK.has(hostname)) return { kind: "operator" };
  return { kind: "unknown" };
}

/**
 * The URL's host decides; the Host header is the fallback for clients whose URL carries a loopback address
 * (Miniflare's dispatchFetch, `node:http` with a Host header). See shared/TOOLCHAIN.md, trap 2.
 */
export function classifyHost(config: Config, url: URL, hostHeader: string | null): HostKind {
  const fromUrl = classify(config, hostnameOf(url.host));
  if (fromUrl.kind === "tenant" || !hostHeader) return fromUrl;
  const fromHeader = classify(config, hostnameOf(hostHeader));
  return fromHeader.kind === "tenant" ? fromHeader : fromUrl;
}

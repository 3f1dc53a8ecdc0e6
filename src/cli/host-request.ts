/**
 * Requests to a tenant origin such as `http://acme.localhost:8787`, for local tooling (npm start, tests,
 * benchmarks).
 *
 * Two things stop Node's global fetch from doing this (shared/TOOLCHAIN.md, trap 2): it silently drops a custom
 * Host header, and glibc here does not resolve `*.localhost`. So this connects with node:http(s) and names the
 * tenant in the Host header. Names under `localhost` go to 127.0.0.1, which is where RFC 6761 §6.3 says they
 * belong; any other name is resolved normally.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HostRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HostResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** `path` is appended to the origin as is (it may carry a query string). */
export function requestViaHost(origin: string, path: string, options: HostRequestOptions = {}): Promise<HostResponse> {
  const target = new URL(origin);
  const isLocalName = target.hostname === "localhost" || target.hostname.endsWith(".localhost");
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...options.headers, host: target.host };
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));

  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: isLocalName ? "127.0.0.1" : target.hostname,
        port: target.port === "" ? undefined : Number(target.port),
        // TLS must still check the certificate against the tenant name, not the address we dialled.
        servername: target.hostname,
        method: options.method ?? "GET",
        path,
        headers,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${origin}${path} in time`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

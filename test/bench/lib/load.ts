/**
 * A small closed-loop load generator: `concurrency` workers, each sending its next request as soon as the previous
 * one answered, over keep-alive connections to 127.0.0.1 with the tenant named in the Host header (Node's fetch
 * would drop it: shared/TOOLCHAIN.md, trap 2). Every request is bounded in count; nothing leaves loopback.
 */
import { Agent, request } from "node:http";

export interface BenchRequest {
  method: string;
  path: string;
  host: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Responses whose status was not the expected one (each a failed benchmark). */
  unexpected: number;
}

export interface Reply {
  status: number;
  body: string;
  /** The Retry-After header of a 429 or 503, for clients that back off as an IdP would. */
  retryAfter?: string;
}

export function createClient(port: number, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  function send(spec: BenchRequest): Promise<Reply> {
    const headers: Record<string, string> = { Host: spec.host, ...spec.headers };
    if (spec.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(spec.body));
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: spec.method, path: spec.path, headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), retryAfter: res.headers["retry-after"] }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`timeout: ${spec.method} ${spec.path}`)));
      req.on("error", reject);
      req.end(spec.body);
    });
  }
  return { send, close: () => agent.destroy() };
}

export type Client = ReturnType<typeof createClient>;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Sends `total` requests (request i from `make(i)`), `concurrency` at a time, and measures each. */
export async function runLoad(
  client: Client,
  name: string,
  total: number,
  concurrency: number,
  make: (index: number) => BenchRequest,
  expectStatus: number | number[],
): Promise<LoadResult> {
  const expected = Array.isArray(expectStatus) ? expectStatus : [expectStatus];
  const latencies: number[] = [];
  let next = 0;
  let unexpected = 0;
  const started = performance.now();
  async function worker() {
    while (next < total) {
      const index = next++;
      const spec = make(index);
      const sent = performance.now();
      const reply = await client.send(spec);
      latencies.push(performance.now() - sent);
      if (!expected.includes(reply.status)) {
        if (unexpected++ < 3) console.error(`  ${name}: ${spec.method} ${spec.path} → ${reply.status} ${reply.body.slice(0, 200)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { name, requests: total, seconds, perSecond: total / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), unexpected };
}

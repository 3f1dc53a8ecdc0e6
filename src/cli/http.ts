/**
 * The operator API client: JSON over `fetch` to `{baseUrl}/_operator/...` with the bearer token.
 *
 * Node's global fetch is enough here because the operator API answers on the address in --url itself (locally
 * 127.0.0.1); tenant hosts need a Host header fetch cannot send, see host-request.ts.
 */
import { ApiError, ConnectionError } from "./errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface OperatorClientOptions {
  /** Where Gatehouse answers, e.g. `http://127.0.0.1:8787`; a path prefix is kept (for a reverse proxy). */
  baseUrl: string;
  token: string;
  /** A stuck server should fail the command, not hang a terminal or a CI job forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = "gatehouse-cli";

export class OperatorClient {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(options: OperatorClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Sends one request under `/_operator` and returns the parsed JSON body of a 2xx answer.
   * Throws ApiError for any other status (carrying the server's `error` and `code`), ConnectionError when no
   * answer arrived.
   */
  async request(method: HttpMethod, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.baseUrl}/_operator${path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: "application/json",
      "user-agent": USER_AGENT,
    };
    if (body !== undefined) headers["content-type"] = "application/json";

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw toConnectionError(error, this.baseUrl, this.#timeoutMs);
    }

    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed === undefined) {
        throw new ApiError(`${method} ${url} answered ${response.status} with a body that is not JSON`, 0, "invalid_response");
      }
      return parsed.value;
    }
    throw toApiError(response.status, parsed?.value, `${method} ${url}`);
  }
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The server's `{error, code}` when it sent one; otherwise a message that still says which call failed. */
function toApiError(status: number, body: unknown, call: string): ApiError {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const { error, code } = body as Record<string, unknown>;
    if (typeof error === "string" && error !== "") {
      return new ApiError(error, status, typeof code === "string" && code !== "" ? code : "http_error");
    }
  }
  return new ApiError(`${call} failed with HTTP ${status}`, status, "http_error");
}

function toConnectionError(error: unknown, baseUrl: string, timeoutMs: number): ConnectionError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ConnectionError(`no answer from Gatehouse at ${baseUrl} within ${timeoutMs / 1000} s`);
  }
  // undici reports the socket error as `cause` of a generic "fetch failed" TypeError.
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code === "ECONNREFUSED") {
    return new ConnectionError(`cannot connect to Gatehouse at ${baseUrl} (connection refused): is Gatehouse running? try npm start`);
  }
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new ConnectionError(`cannot reach Gatehouse at ${baseUrl} (${detail})`);
}

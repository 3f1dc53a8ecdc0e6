/** Where the operator API is and which token opens it: --url and --operator-token, with their defaults. */
import { join } from "node:path";
import { stringOption, type ParsedLine } from "./args";
import { readDevVars } from "./dev-vars";
import { LocalError, UsageError } from "./errors";

export const DEFAULT_URL = "http://127.0.0.1:8787";
export const TOKEN_ENV = "GATEHOUSE_OPERATOR_TOKEN";

export interface Connection {
  baseUrl: string;
  token: string;
}

export async function resolveConnection(line: ParsedLine, env: NodeJS.ProcessEnv, cwd: string): Promise<Connection> {
  const baseUrl = checkBaseUrl(stringOption(line, "url") ?? DEFAULT_URL);
  const token = stringOption(line, "operator-token") ?? nonEmpty(env[TOKEN_ENV]) ?? (await readTokenFromDevVars(cwd));
  if (token === undefined) {
    throw new UsageError(`no operator token: pass --operator-token, set ${TOKEN_ENV}, or run in a directory whose .dev.vars has OPERATOR_TOKEN`);
  }
  return { baseUrl, token };
}

/**
 * Plain http only to loopback: anywhere else the operator token, which controls every tenant, would cross the
 * network in clear text.
 */
function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url must be http(s), got ${url.protocol}`);
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new UsageError("--url must not carry credentials, a query or a fragment");
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new UsageError(`--url must use https for ${url.hostname}: the operator token must not travel in clear text`);
  }
  return url.href.replace(/\/+$/, "");
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

async function readTokenFromDevVars(cwd: string): Promise<string | undefined> {
  const path = join(cwd, ".dev.vars");
  try {
    return nonEmpty((await readDevVars(path))?.get("OPERATOR_TOKEN"));
  } catch (error) {
    throw new LocalError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

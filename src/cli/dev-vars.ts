/**
 * Reading `.dev.vars`, the file wrangler loads secrets from in local development.
 *
 * The parser is the one wrangler itself applies to this file (dotenv 16's `parse`, bundled in wrangler 4), so the
 * CLI sees exactly the OPERATOR_TOKEN the local worker was started with — including quoted values, `export `
 * prefixes, comments and multi-line quoted values.
 */
import { readFile } from "node:fs/promises";

const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const source = text.replace(/\r\n?/g, "\n");
  // A fresh RegExp per call: the pattern is global and stateful (lastIndex).
  const line = new RegExp(DOTENV_LINE.source, DOTENV_LINE.flags);
  for (let match = line.exec(source); match !== null; match = line.exec(source)) {
    const key = match[1];
    if (key === undefined) continue;
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    vars.set(key, value);
  }
  return vars;
}

/** The file's variables, or undefined when it does not exist (any other read error is thrown). */
export async function readDevVars(path: string): Promise<Map<string, string> | undefined> {
  try {
    return parseDevVars(await readFile(path, "utf8"));
  } catch (error) {
    if (isNodeError(error) && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * One `KEY=value` line that parseDevVars reads back unchanged. Single quotes are literal in dotenv (no escape
 * processing), which keeps JSON values such as a JWK intact; values that single quotes cannot carry are refused
 * rather than written in a form that would read back differently.
 */
export function formatDevVarsLine(key: string, value: string): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(key)) throw new Error(`not a valid .dev.vars key: ${key}`);
  if (/^[\w.~+/=-]*$/.test(value)) return `${key}=${value}`;
  if (value.includes("'") || /[\r\n]/.test(value)) throw new Error(`${key}: value cannot be written to .dev.vars safely`);
  return `${key}='${value}'`;
}

export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

/**
 * Reading `.dev.vars`, the file wrangler loads local secrets from (dotenv syntax).
 *
 * We read the part of that syntax Gatehouse writes and operators write by hand: `KEY=value` lines, an optional
 * `export ` prefix, `#` comments, and values in single quotes (literal), double quotes (`\n` escapes) or none
 * (a trailing ` # comment` dropped). Multi-line values are not read: `formatDevVarsLine` never writes one.
 */
import { readFile } from "node:fs/promises";

const LINE = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;

function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === "'" || quote === '"' || quote === "`") && raw.length >= 2 && raw.endsWith(quote)) {
    const inner = raw.slice(1, -1);
    return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : inner;
  }
  return raw.replace(/\s+#.*$/, "");
}

export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (match) vars.set(match[1]!, unquote(match[2]!));
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

/**
 * Command-line parsing on top of node:util parseArgs.
 *
 * Options may appear anywhere (`gatehouse --json tenant list` and `gatehouse tenant list --json` are the same), so
 * the whole line is parsed once against every option the CLI knows, and the command found from the positionals
 * then checks that it accepts each option given. Strict mode makes a typo a usage error instead of a value.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./errors";

/** Every option of every command. A name has one meaning everywhere, so one table can describe them all. */
export const OPTION_SPECS = {
  url: { type: "string" },
  "operator-token": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  name: { type: "string" },
  "sso-url": { type: "string" },
  issuer: { type: "string" },
  "cert-file": { type: "string", multiple: true },
  "metadata-file": { type: "string" },
  "grace-hours": { type: "string" },
  cert: { type: "string", multiple: true },
  audience: { type: "string" },
  acs: { type: "string" },
  now: { type: "string" },
  skew: { type: "string" },
  "allow-sha1": { type: "boolean" },
  failures: { type: "boolean" },
  failed: { type: "boolean" },
  limit: { type: "string" },
  "client-id": { type: "string" },
  "client-secret": { type: "string" },
  "groups-claim": { type: "string" },
  "groups-source": { type: "string" },
} as const;

export type OptionName = keyof typeof OPTION_SPECS;

/** Accepted by every command. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ["url", "operator-token", "json", "help"];

export interface ParsedLine {
  positionals: string[];
  /** Options actually given, in the order they appeared (for the per-command check). */
  given: OptionName[];
  values: Partial<Record<OptionName, string | boolean | string[]>>;
}

export function parseCommandLine(argv: readonly string[]): ParsedLine {
  const parsed = parseStrictly(argv);
  const given: OptionName[] = [];
  for (const token of parsed.tokens) {
    if (token.kind === "option" && isOptionName(token.name) && !given.includes(token.name)) given.push(token.name);
  }
  return { positionals: parsed.positionals, given, values: parsed.values };
}

function parseStrictly(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPECS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes and messages that already name the option.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTION_SPECS, name);
}

/** True when `--json` appears, for reporting a parse failure in the format the caller asked for. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

export function stringOption(line: ParsedLine, name: OptionName): string | undefined {
  const value = line.values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new UsageError(`--${name} takes a value`);
  if (value === "") throw new UsageError(`--${name} must not be empty`);
  return value;
}

export function stringListOption(line: ParsedLine, name: OptionName): string[] {
  const value = line.values[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== "string" || item === "") throw new UsageError(`--${name} takes a value`);
    return item;
  });
}

export function flagOption(line: ParsedLine, name: OptionName): boolean {
  return line.values[name] === true;
}

/**
 * `gatehouse` entry: parse the line, pick the command, run it, and turn every failure into one exit code and
 * one message. bin/gatehouse.mjs calls main() and exits with what it returns.
 */
import { flagOption, GLOBAL_OPTIONS, parseCommandLine, wantsJson, type ParsedLine } from "./args";
import type { Command } from "./commands/command";
import { commandsInGroup, findCommand } from "./commands/index";
import { resolveConnection } from "./connection";
import { ApiError, ConnectionError, LocalError, UsageError } from "./errors";
import { commandHelp, generalHelp, groupHelp } from "./help";
import { OperatorClient } from "./http";
import { printJson, processIo, type Io } from "./output";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export async function main(
  argv: readonly string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<number> {
  try {
    return await runCommandLine(argv, io, env, cwd);
  } catch (error) {
    // Decided from the raw line: when parsing itself failed there are no parsed options to ask.
    return reportError(error, io, wantsJson(argv));
  }
}

async function runCommandLine(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const line = parseCommandLine(argv);
  const help = flagOption(line, "help");
  const [first] = line.positionals;
  if (first === undefined) {
    if (help) return printHelp(io, generalHelp());
    throw new UsageError("no command given (see gatehouse --help)");
  }

  const found = findCommand(line.positionals);
  if (found === undefined) {
    const group = commandsInGroup(first);
    if (group.length > 0 && help) return printHelp(io, groupHelp(group));
    const hint = group.length > 0 ? group.map((c) => c.path.join(" ")).join(", ") : "see gatehouse --help";
    throw new UsageError(`unknown command "${line.positionals.join(" ")}" (${hint})`);
  }
  const { command, rest } = found;
  if (help) return printHelp(io, commandHelp(command));
  checkOptions(command, line);
  const args = checkArgs(command, rest);

  const client = command.offline ? offlineClient : new OperatorClient(await resolveConnection(line, env, cwd));
  const exitCode = await command.run({
    client,
    io,
    json: flagOption(line, "json"),
    arg: (name) => {
      const value = args.get(name);
      // Only reachable through a typo in a command's own table, never through user input.
      if (value === undefined) throw new Error(`command "${command.path.join(" ")}" has no argument "${name}"`);
      return value;
    },
    line,
    cwd,
  });
  return exitCode ?? EXIT_OK;
}

/** Handed to offline commands: they never call the operator API, and this says so if one ever did. */
const offlineClient = {
  request(): Promise<unknown> {
    return Promise.reject(new LocalError("this command works offline and does not call the operator API"));
  },
};

function printHelp(io: Io, text: string): number {
  io.stdout(text);
  return EXIT_OK;
}

function checkOptions(command: Command, line: ParsedLine): void {
  for (const name of line.given) {
    if (!GLOBAL_OPTIONS.includes(name) && !command.options.includes(name)) {
      throw new UsageError(`gatehouse ${command.path.join(" ")} does not take --${name} (usage: gatehouse ${command.usage})`);
    }
  }
}

function checkArgs(command: Command, rest: readonly string[]): Map<string, string> {
  if (rest.length !== command.args.length) {
    throw new UsageError(`expected ${command.args.length === 0 ? "no arguments" : command.args.map((a) => `<${a}>`).join(" ")} (usage: gatehouse ${command.usage})`);
  }
  const args = new Map<string, string>();
  command.args.forEach((name, i) => {
    const value = rest[i] ?? "";
    // An empty slug would turn `/tenants/{slug}` into `/tenants/`, a different endpoint.
    if (value.trim() === "") throw new UsageError(`<${name}> must not be empty`);
    args.set(name, value);
  });
  return args;
}

function reportError(error: unknown, io: Io, json: boolean): number {
  const { message, code, status, exitCode } = describeError(error);
  if (json) {
    printJson(io, status === undefined ? { error: message, code } : { error: message, code, status });
  } else {
    const detail = status === undefined ? "" : ` (HTTP ${status}${code === "http_error" ? "" : `, ${code}`})`;
    io.stderr(`gatehouse: ${message.replace(/\s*\n\s*/g, " ")}${detail}`);
  }
  return exitCode;
}

function describeError(error: unknown): { message: string; code: string; status?: number; exitCode: number } {
  if (error instanceof UsageError) return { message: error.message, code: "usage_error", exitCode: EXIT_USAGE };
  if (error instanceof ApiError) {
    return error.status === 0
      ? { message: error.message, code: error.code, exitCode: EXIT_FAILED }
      : { message: error.message, code: error.code, status: error.status, exitCode: EXIT_FAILED };
  }
  if (error instanceof ConnectionError) return { message: error.message, code: "connection_failed", exitCode: EXIT_FAILED };
  if (error instanceof LocalError) return { message: error.message, code: "local_error", exitCode: EXIT_FAILED };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${message}`, code: "internal_error", exitCode: EXIT_FAILED };
}

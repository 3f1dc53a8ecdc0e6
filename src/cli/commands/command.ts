/** What a command is, and what it is handed when it runs. */
import type { OptionName, ParsedLine } from "../args";
import type { HttpMethod } from "../http";
import type { Io } from "../output";

/** What commands use of the operator API client (OperatorClient), so offline commands can run without one. */
export interface OperatorApi {
  request(method: HttpMethod, path: string, body?: unknown): Promise<unknown>;
}

export interface CommandContext {
  client: OperatorApi;
  io: Io;
  /** `--json`: print the server's JSON as received, one line, and nothing else on stdout. */
  json: boolean;
  /** A positional argument by the name in Command.args (main checked that each one is present). */
  arg(name: string): string;
  line: ParsedLine;
  /** Files named on the command line are read relative to this directory. */
  cwd: string;
}

export interface Command {
  /** The words that select it: `["tenant", "create"]`. */
  path: readonly string[];
  /** Names of its positional arguments, in order. */
  args: readonly string[];
  /** Options it accepts beyond the global ones. */
  options: readonly OptionName[];
  usage: string;
  summary: string;
  /** Works without a Gatehouse to talk to (no --url or operator token needed), e.g. `saml verify`. */
  offline?: boolean;
  /** Resolves to an exit code when the command itself decides one (a verdict); otherwise success. */
  run(context: CommandContext): Promise<void | number>;
}

/** Path segment for a user-supplied value, so a slug like `../x` cannot reach another route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

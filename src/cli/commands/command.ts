/** What a command is, and what it is handed when it runs. */
import type { OptionName, ParsedLine } from "../args";
import type { OperatorClient } from "../http";
import type { Io } from "../output";

export interface CommandContext {
  client: OperatorClient;
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
  run(context: CommandContext): Promise<void>;
}

/** Path segment for a user-supplied value, so a slug like `../x` cannot reach another route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

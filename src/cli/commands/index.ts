/** The command table, and finding a command from the words on the command line. */
import { adminLinkCommands } from "./admin-link";
import { apiKeyCommands } from "./api-key";
import type { Command } from "./command";
import { eventCommands } from "./events";
import { jobCommands } from "./jobs";
import { oidcCommands } from "./oidc";
import { samlCommands } from "./saml";
import { samlVerifyCommands } from "./saml-verify";
import { scimTokenCommands } from "./scim-token";
import { tenantCommands } from "./tenant";
import { webhookCommands } from "./webhook";

export const COMMANDS: readonly Command[] = [...tenantCommands, ...samlCommands, ...oidcCommands, ...samlVerifyCommands, ...scimTokenCommands, ...apiKeyCommands, ...webhookCommands, ...eventCommands, ...jobCommands, ...adminLinkCommands];

/** The command whose path the positionals start with, and the positionals after it. */
export function findCommand(positionals: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    if (command.path.every((word, i) => positionals[i] === word)) {
      return { command, rest: positionals.slice(command.path.length) };
    }
  }
  return undefined;
}

/** Commands under a group word (`tenant`), for help when only the group is given. */
export function commandsInGroup(group: string): Command[] {
  return COMMANDS.filter((command) => command.path[0] === group);
}

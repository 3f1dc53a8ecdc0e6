/** `oidc set`: connect a tenant to its IdP through an OIDC app (Okta: the Okta domain and the app's client ID). */
import { stringOption } from "../args";
import { UsageError } from "../errors";
import { displayValue, formatKeyValues, printJson } from "../output";
import { expectObject } from "../response";
import { segment, type Command } from "./command";

const set: Command = {
  path: ["oidc", "set"],
  args: ["slug"],
  options: ["issuer", "client-id", "client-secret", "groups-claim", "groups-source"],
  usage: "oidc set <slug> --issuer <https://…> --client-id <id> [--client-secret <secret>] [--groups-claim <claim>] [--groups-source claim|scim]",
  summary: "Configure the tenant's OIDC IdP (Okta: the Okta domain and the OIDC app's client ID)",
  async run(context) {
    const { client, io, json, arg, line } = context;
    const issuer = stringOption(line, "issuer");
    const clientId = stringOption(line, "client-id");
    if (issuer === undefined || clientId === undefined) throw new UsageError("oidc set needs --issuer and --client-id");
    // Omitted options are left out of the body, so the server's defaults apply; it validates every field.
    const body: Record<string, unknown> = { issuer, clientId };
    const optional = { clientSecret: stringOption(line, "client-secret"), groupsClaim: stringOption(line, "groups-claim"), groupsSource: stringOption(line, "groups-source") };
    for (const [key, value] of Object.entries(optional)) if (value !== undefined) body[key] = value;
    const result = await client.request("PUT", `/tenants/${segment(arg("slug"))}/oidc`, body);
    if (json) return printJson(io, result);
    const oidc = expectObject(result, "oidc set");
    io.stdout(
      [
        `OIDC connection of ${displayValue(arg("slug"))} saved`,
        "",
        formatKeyValues(
          [
            ["issuer", displayValue(oidc.issuer)],
            ["client ID", displayValue(oidc.clientId)],
            ["client type", displayValue(oidc.clientType)],
            ["groups", `${displayValue(oidc.groupsClaim)} claim (source: ${displayValue(oidc.groupsSource)})`],
            ["authorize", displayValue(oidc.authorizationEndpoint)],
          ],
          "  ",
        ),
      ].join("\n"),
    );
  },
};

export const oidcCommands: readonly Command[] = [set];

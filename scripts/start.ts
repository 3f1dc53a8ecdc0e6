/**
 * `npm start`: from a fresh clone to a working local Gatehouse in one command.
 *
 *   1. .dev.vars: generate OPERATOR_TOKEN and SESSION_SIGNING_KEY if missing (existing values are kept)
 *   2. apply D1 migrations to the local database (`wrangler d1 migrations apply DB --local`)
 *   3. `wrangler dev` on 127.0.0.1:$PORT (default 8787), output passed through
 *   4. once the operator API answers: tenant `acme` and a SCIM token for it, then a banner with everything an
 *      Okta admin would paste, and curl commands to try
 *
 * Ctrl-C / SIGTERM go to wrangler; this process exits with wrangler's exit status.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ConnectionError, ApiError } from "../src/cli/errors";
import { OperatorClient } from "../src/cli/http";
import { ensureDemoTenant, type DemoTenant } from "./lib/demo-tenant";
import { ensureDevVars } from "./lib/dev-vars-file";
import { REPO_ROOT, runWrangler, spawnWrangler, wranglerEnv } from "./lib/wrangler";

const DEMO_SLUG = "acme";
const DEMO_NAME = "Acme Corp";
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 250;

function readPort(): number {
  const text = process.env.PORT ?? "8787";
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new Error(`PORT must be a TCP port (1-65535), got "${text}"`);
  return port;
}

async function main(): Promise<void> {
  const port = readPort();
  const { vars, added } = await ensureDevVars(join(REPO_ROOT, ".dev.vars"));
  if (added.length > 0) log(`wrote ${added.join(" and ")} to .dev.vars`);
  const operatorToken = vars.get("OPERATOR_TOKEN") ?? "";

  log("applying D1 migrations to the local database");
  process.stdout.write(await runWrangler(["d1", "migrations", "apply", "DB", "--local"], wranglerEnv({ CI: "true" })));

  const wrangler = spawnWrangler(["dev", "--port", String(port), "--ip", "127.0.0.1"]);
  forwardSignals(wrangler);
  const exited = new Promise<number>((resolve) => {
    wrangler.on("exit", (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
    wrangler.on("error", (error) => {
      log(`could not start wrangler: ${error.message}`);
      resolve(1);
    });
  });

  const client = new OperatorClient({ baseUrl: `http://127.0.0.1:${port}`, token: operatorToken });
  // Setup failures are reported, not fatal: the server itself is still useful while, say, a route is broken.
  Promise.race([prepareDemo(client, exited), exited.then(() => undefined)]).then(
    (demo) => demo && process.stdout.write(banner(port, demo)),
    (error: unknown) => log(`setup of tenant "${DEMO_SLUG}" failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // exit() rather than waiting for the event loop: a poll still in flight must not keep us alive after wrangler.
  process.exit(await exited);
}

async function prepareDemo(client: OperatorClient, exited: Promise<number>): Promise<DemoTenant | undefined> {
  let stopped = false;
  void exited.then(() => (stopped = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (stopped) return undefined;
    try {
      await client.request("GET", "/tenants");
      break;
    } catch (error) {
      // 401/403: the worker runs with another OPERATOR_TOKEN than .dev.vars holds; waiting will not fix that.
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        throw new Error(
          `the operator API rejected the OPERATOR_TOKEN from .dev.vars (${error.message}); ` +
            "note that the worker ignores operator tokens shorter than 24 characters",
        );
      }
      const retryable = error instanceof ConnectionError || error instanceof ApiError;
      if (!retryable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }
  return ensureDemoTenant(client, { slug: DEMO_SLUG, name: DEMO_NAME, tokenFile: join(REPO_ROOT, ".wrangler", "demo-scim-token") });
}

/** Ctrl-C in a terminal reaches wrangler directly too (same process group); a SIGTERM sent to us would not. */
function forwardSignals(child: ChildProcess): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 0;
}

function banner(port: number, demo: DemoTenant): string {
  const t = demo.tenant;
  const text = (value: unknown) => (typeof value === "string" ? value : "-");
  const origin = text(t.origin);
  // The CLI defaults to port 8787; on any other port it has to be told.
  const urlOption = port === 8787 ? "" : ` --url http://127.0.0.1:${port}`;
  const scimBase = text(t.scimBaseUrl);
  const tokenNote =
    demo.tokenState === "issued" ? "new; saved in .wrangler/demo-scim-token" : demo.tokenState === "reused" ? "same as last run" : `not verified: ${demo.note ?? ""}`;
  const rows: Array<[string, string, string]> = [
    ["Tenant origin", origin, ""],
    ["SAML ACS URL", text(t.acsUrl), 'Okta: "Single sign-on URL"'],
    ["Audience / entity ID", text(t.entityId), 'Okta: "Audience URI (SP Entity ID)"'],
    ["SP metadata", text(t.metadataUrl), ""],
    ["SCIM base URL", scimBase, 'Okta: "SCIM connector base URL", auth "HTTP Header"'],
    ["SCIM token", demo.scimToken, tokenNote],
    ["Admin console", `${origin}/settings/okta`, `one-time sign-in link: npx gatehouse admin-link ${DEMO_SLUG}${urlOption}`],
    ["Operator API", `http://127.0.0.1:${port}/_operator`, `token in .dev.vars; try: npx gatehouse tenant list${urlOption}`],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const line = "─".repeat(Math.min(100, labelWidth + valueWidth + 40));
  const user = JSON.stringify({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "ada@acme.test",
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: "ada@acme.test", primary: true }],
    active: true,
  });
  return [
    "",
    line,
    ` Gatehouse is running. Demo tenant "${DEMO_SLUG}" (${text(t.name)}):`,
    "",
    ...rows.map(([label, value, note]) => ` ${label.padEnd(labelWidth)}  ${note === "" ? value : `${value.padEnd(valueWidth)}  (${note})`}`),
    "",
    " Try it (curl resolves *.localhost to 127.0.0.1 by itself):",
    `   TOKEN=${demo.scimToken}`,
    `   curl -s -H "Authorization: Bearer $TOKEN" '${scimBase}/Users?startIndex=1&count=10'`,
    `   curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/scim+json' \\`,
    `        -d '${user}' ${scimBase}/Users`,
    `   curl -s ${text(t.metadataUrl)}`,
    line,
    "",
  ].join("\n");
}

function log(message: string): void {
  process.stderr.write(`[gatehouse start] ${message}\n`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/**
 * The operator CLI end to end: the real bin/gatehouse.mjs as a child process, against the real worker on plain
 * Miniflare (scripts/local-server.ts). Asserts what DESIGN.md's "Contracts" section promises scripts: the --json
 * shapes, the tenant URLs, and the exit codes (0 ok, 1 failed, 2 usage).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server";
import { requestViaHost } from "../../src/cli/host-request";
import { buildResponse, type ResponseSpec } from "../support/saml/okta-response";
import { signWithXmlsec1 } from "../support/saml/xmlsec1";
import { startOidcProvider } from "../support/oidc/provider-server";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/gatehouse.mjs", import.meta.url));

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ port: 0 });
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with --url; `token: null` leaves --operator-token off, to test the missing-token path. */
function runCli(args: string[], options: { token?: string | null; json?: boolean } = {}): Promise<CliResult> {
  const token = options.token === undefined ? server.operatorToken : options.token;
  const argv = [BIN, ...args, "--url", server.url];
  // `--option=value`: a random token may start with "-", which parseArgs would take for another option.
  if (token !== null) argv.push(`--operator-token=${token}`);
  if (options.json !== false) argv.push("--json");
  // Without the caller's GATEHOUSE_OPERATOR_TOKEN, so only what the test passes is used.
  const { GATEHOUSE_OPERATOR_TOKEN: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: REPO_ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** --json output is exactly one JSON line. */
function parseJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? "") as Record<string, unknown>;
}

function expectJsonError(result: CliResult, exitCode: number): void {
  expect(result.code, result.stderr).toBe(exitCode);
  const body = parseJsonLine(result.stdout);
  expect(typeof body.error).toBe("string");
  expect(body.error).not.toBe("");
}

function newSlug(): string {
  return `cli-${randomBytes(4).toString("hex")}`;
}

describe("gatehouse tenant", () => {
  it("creates a tenant whose URLs all derive from http://{slug}.localhost:{port}", async () => {
    const slug = newSlug();
    const created = await runCli(["tenant", "create", slug, "--name", "CLI Test"]);
    expect(created.code, created.stderr).toBe(0);
    expect(parseJsonLine(created.stdout)).toMatchObject({ slug, name: "CLI Test" });

    const shown = await runCli(["tenant", "show", slug]);
    expect(shown.code, shown.stderr).toBe(0);
    const origin = `http://${slug}.localhost:${server.port}`;
    expect(parseJsonLine(shown.stdout)).toMatchObject({
      slug,
      origin,
      entityId: origin,
      acsUrl: `${origin}/okta/auth`,
      scimBaseUrl: `${origin}/okta/scim/v2`,
      metadataUrl: `${origin}/okta/metadata`,
      loginUrl: `${origin}/login`,
    });

    const listed = await runCli(["tenant", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    const { tenants } = parseJsonLine(listed.stdout) as { tenants: Array<{ slug: string }> };
    expect(tenants.map((t) => t.slug)).toContain(slug);

    const human = await runCli(["tenant", "show", slug], { json: false });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${origin}/okta/auth`);
  });

  it("refuses a second tenant with the same slug (exit 1, {error})", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    expectJsonError(await runCli(["tenant", "create", slug]), 1);
  });

  it("refuses a slug that is not a DNS label (exit 1, {error})", async () => {
    expectJsonError(await runCli(["tenant", "create", "Bad_Slug"]), 1);
  });

  it("deletes a tenant, after which show fails (exit 1)", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const deleted = await runCli(["tenant", "delete", slug]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(parseJsonLine(deleted.stdout)).toMatchObject({ deleted: true, slug });
    expectJsonError(await runCli(["tenant", "show", slug]), 1);
  });
});

describe("gatehouse scim-token issue", () => {
  it("returns a token that authenticates SCIM requests on the tenant host", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const issued = await runCli(["scim-token", "issue", slug]);
    expect(issued.code, issued.stderr).toBe(0);
    const { token } = parseJsonLine(issued.stdout);
    expect(typeof token).toBe("string");

    const origin = `http://${slug}.localhost:${server.port}`;
    const withToken = await requestViaHost(origin, "/okta/scim/v2/Users", { headers: { authorization: `Bearer ${String(token)}` } });
    expect(withToken.status, withToken.body).toBe(200);
    // The 200 above means something only if the same request without the token is refused.
    const withoutToken = await requestViaHost(origin, "/okta/scim/v2/Users");
    expect(withoutToken.status).toBe(401);
  });
});

describe("gatehouse api-key", () => {
  it("issues a key (shown once) that reads the directory, lists it by hint, and revokes it at once", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const origin = `http://${slug}.localhost:${server.port}`;
    const issued = await runCli(["api-key", "issue", slug]);
    expect(issued.code, issued.stderr).toBe(0);
    const { key, id, directoryUrl } = parseJsonLine(issued.stdout) as { key: string; id: string; directoryUrl: string };
    expect(key).toMatch(/^gh_api_[A-Za-z0-9_-]{43}$/);
    expect(directoryUrl).toBe(`${origin}/api/directory`);
    const read = await requestViaHost(origin, "/api/directory/users", { headers: { authorization: `Bearer ${key}` } });
    expect(read.status, read.body).toBe(200);
    expect(JSON.parse(read.body)).toEqual({ users: [], next: null });

    const listed = await runCli(["api-key", "list", slug]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect((parseJsonLine(listed.stdout) as { keys: Array<{ id: string; status: string }> }).keys).toEqual([expect.objectContaining({ id, status: "active" })]);
    const human = await runCli(["api-key", "issue", slug], { json: false });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/shown once[\s\S]*gh_api_[A-Za-z0-9_-]{43}/);

    const revoked = await runCli(["api-key", "revoke", slug, id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(parseJsonLine(revoked.stdout)).toEqual({ revoked: true, id });
    expect((await requestViaHost(origin, "/api/directory/users", { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    const humanList = await runCli(["api-key", "list", slug], { json: false });
    expect(humanList.stdout).toMatch(new RegExp(`${id}\\s+gh_api_\\S+\\s+revoked`));
  });

  it("fails with exit 1 for an unknown key or tenant, and exit 2 without its arguments", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    expectJsonError(await runCli(["api-key", "revoke", slug, "key_unknown"]), 1);
    expectJsonError(await runCli(["api-key", "issue", newSlug()]), 1);
    expectJsonError(await runCli(["api-key", "revoke", slug]), 2);
  });
});

describe("gatehouse webhook and events", () => {
  // Nothing listens on port 9 (discard): deliveries to it fail at once, never reaching anything.
  const HOOK = "http://127.0.0.1:9/hooks/gatehouse";

  it("sets a webhook (secret shown once), shows it without the secret, and removes it", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const set = await runCli(["webhook", "set", slug, HOOK]);
    expect(set.code, set.stderr).toBe(0);
    const { secret, url } = parseJsonLine(set.stdout) as { secret: string; url: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(HOOK);
    const shown = await runCli(["webhook", "show", slug]);
    expect(shown.stdout).not.toContain(secret);
    expect(parseJsonLine(shown.stdout)).toMatchObject({ url: HOOK, secretHint: `whsec_…${secret.slice(-4)}`, deliveries: { failed: 0 } });
    const human = await runCli(["webhook", "set", slug, HOOK], { json: false });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/shown once[\s\S]*whsec_[A-Za-z0-9_-]{43}/);
    expect((await runCli(["webhook", "show", slug], { json: false })).stdout).toMatch(/url\s+http:\/\/127\.0\.0\.1:9\/hooks\/gatehouse/);

    expect(parseJsonLine((await runCli(["webhook", "remove", slug])).stdout)).toEqual({ removed: true });
    expectJsonError(await runCli(["webhook", "show", slug]), 1);
    expectJsonError(await runCli(["webhook", "remove", slug]), 1);
  });

  it("refuses a URL that is not https (exit 1) and a missing URL (exit 2)", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const refused = await runCli(["webhook", "set", slug, "http://app.example.com/hooks"]);
    expectJsonError(refused, 1);
    expect(parseJsonLine(refused.stdout)).toMatchObject({ code: "invalid_webhook_url", status: 400 });
    expectJsonError(await runCli(["webhook", "set", slug]), 2);
    expectJsonError(await runCli(["events", slug, "--limit", "0"]), 2);
  });

  it("lists a tenant's events with their delivery status, and redelivers one", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const { token } = parseJsonLine((await runCli(["scim-token", "issue", slug])).stdout) as { token: string };
    const origin = `http://${slug}.localhost:${server.port}`;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
    const created = await requestViaHost(origin, "/okta/scim/v2/Users", { method: "POST", headers, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "ada@acme.test", active: true }) });
    expect(created.status, created.body).toBe(201);

    const listed = await runCli(["events", slug]);
    expect(listed.code, listed.stderr).toBe(0);
    const [event] = (parseJsonLine(listed.stdout) as { events: Array<{ id: string; type: string; deliveryStatus: string }> }).events;
    expect(event).toMatchObject({ type: "user.created", deliveryStatus: "pending", resource: { type: "User" } });
    expect(parseJsonLine((await runCli(["events", slug, "--failed"])).stdout)).toEqual({ events: [] });
    const table = await runCli(["events", slug], { json: false });
    expect(table.stdout).toMatch(new RegExp(`SEQ\\s+ID\\s+TYPE[\\s\\S]*${event!.id}\\s+user\\.created`));

    const redelivered = await runCli(["events", "redeliver", slug, event!.id]);
    expect(redelivered.code, redelivered.stderr).toBe(0);
    expect(parseJsonLine(redelivered.stdout)).toEqual({ redelivering: true, id: event!.id });
    expectJsonError(await runCli(["events", "redeliver", slug, "aud_unknown"]), 1);
    expectJsonError(await runCli(["events", "redeliver", slug]), 2);
  });
});

const CERT_FILE = fileURLToPath(new URL("../fixtures/certs/idp-rsa.pem", import.meta.url));
const WEAK_CERT_FILE = fileURLToPath(new URL("../fixtures/certs/weak-rsa1024.pem", import.meta.url));
const METADATA_FILE = fileURLToPath(new URL("../fixtures/okta-metadata.xml", import.meta.url));

describe("gatehouse jobs", () => {
  it("lists the tenant's provisioning jobs: a 101-member group push, applied through the queue", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    expect(parseJsonLine((await runCli(["jobs", slug])).stdout)).toEqual({ jobs: [] });
    const human = await runCli(["jobs", slug], { json: false });
    expect(human.stdout.trim()).toBe(`No provisioning jobs for ${slug}.`);

    const token = String(parseJsonLine((await runCli(["scim-token", "issue", slug])).stdout).token);
    const origin = `http://${slug}.localhost:${server.port}`;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) {
      const created = await requestViaHost(origin, "/okta/scim/v2/Users", { method: "POST", headers, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `u${i}@jobs.test` }) });
      ids.push((JSON.parse(created.body) as { id: string }).id);
    }
    const group = await requestViaHost(origin, "/okta/scim/v2/Groups", { method: "POST", headers, body: JSON.stringify({ displayName: "Everyone", members: ids.map((value) => ({ value })) }) });
    expect(group.status, group.body).toBe(201);

    // Bounded: the job's two batches go through the local server's queue (max_batch_timeout 1 s).
    let jobs: Array<Record<string, unknown>> = [];
    for (let poll = 0; poll < 100; poll++) {
      jobs = parseJsonLine((await runCli(["jobs", slug])).stdout).jobs as Array<Record<string, unknown>>;
      if (jobs[0]?.state === "done") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "group.members", groupName: "Everyone", state: "done", total: 101, applied: 101, batches: 2, batchesDone: 2, error: null });
    const table = await runCli(["jobs", slug], { json: false });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+WHAT\s+STATE\s+APPLIED\s+BATCHES/);
    expect(table.stdout).toMatch(/group\.members Everyone\s+done\s+101\/101\s+2\/2/);
  });

  it("fails with exit 1 for an unknown tenant and 2 without one", async () => {
    expectJsonError(await runCli(["jobs", "no-such-tenant"]), 1);
    expectJsonError(await runCli(["jobs"]), 2);
  });
});

describe("gatehouse saml set", () => {
  it("saves the three values, or the IdP metadata, and shows the certificate fingerprint", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const set = await runCli(["saml", "set", slug, "--sso-url", "https://acme.okta.com/app/x/sso/saml", "--issuer", "http://www.okta.com/exk1", "--cert-file", CERT_FILE]);
    expect(set.code, set.stderr).toBe(0);
    const saved = parseJsonLine(set.stdout) as { issuer: string; certificates: { fingerprintSha256: string }[] };
    expect(saved.issuer).toBe("http://www.okta.com/exk1");
    expect(saved.certificates[0]!.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const fromMetadata = await runCli(["saml", "set", slug, "--metadata-file", METADATA_FILE]);
    expect(fromMetadata.code, fromMetadata.stderr).toBe(0);
    expect(parseJsonLine(fromMetadata.stdout)).toMatchObject({ issuer: "http://www.okta.com/exk1gatehousetest", certificates: saved.certificates });

    const human = await runCli(["saml", "set", slug, "--metadata-file", METADATA_FILE], { json: false });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(saved.certificates[0]!.fingerprintSha256);
  });

  it("refuses a weak certificate (exit 1) and a mix of metadata and values (exit 2)", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    expectJsonError(await runCli(["saml", "set", slug, "--sso-url", "https://acme.okta.com/sso", "--issuer", "x", "--cert-file", WEAK_CERT_FILE]), 1);
    expectJsonError(await runCli(["saml", "set", slug, "--metadata-file", METADATA_FILE, "--issuer", "x"]), 2);
  });
});

describe("gatehouse oidc set", () => {
  it("saves an OIDC connection once discovery answers (exit 0), refuses a bad issuer (exit 1) or missing options (exit 2)", async () => {
    const provider = await startOidcProvider();
    try {
      const slug = newSlug();
      expect((await runCli(["tenant", "create", slug])).code).toBe(0);
      const set = await runCli(["oidc", "set", slug, "--issuer", provider.issuer, "--client-id", "0oa-test", "--client-secret", "s3cret", "--groups-source", "scim"]);
      expect(set.code, set.stderr).toBe(0);
      const saved = parseJsonLine(set.stdout);
      expect(saved).toMatchObject({ issuer: provider.issuer, clientId: "0oa-test", clientType: "confidential", groupsSource: "scim", tokenEndpoint: `${provider.issuer}/token` });
      expect(set.stdout).not.toContain("s3cret");
      const human = await runCli(["oidc", "set", slug, "--issuer", provider.issuer, "--client-id", "0oa-test"], { json: false });
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain("client type");
      expectJsonError(await runCli(["oidc", "set", slug, "--issuer", "http://acme.okta.test", "--client-id", "x"]), 1);
      expectJsonError(await runCli(["oidc", "set", slug, "--issuer", provider.issuer]), 2);
    } finally {
      provider.server.closeAllConnections();
      await new Promise<void>((resolve) => provider.server.close(() => resolve()));
    }
  });
});

describe("gatehouse admin-link", () => {
  it("prints a one-time console link on the tenant's host", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const link = await runCli(["admin-link", slug]);
    expect(link.code, link.stderr).toBe(0);
    const { url } = parseJsonLine(link.stdout) as { url: string };
    expect(url).toMatch(new RegExp(`^http://${slug}\\.localhost:${server.port}/settings/okta/sign-in\\?link=gh_link_`));
    const opened = await requestViaHost(new URL(url).origin, new URL(url).pathname + new URL(url).search);
    expect(opened.status).toBe(200);
    expect(opened.body).toContain("Continue to the console");
  });
});

describe("gatehouse failures", () => {
  it("fails with exit 1 and {error} when the operator token is wrong", async () => {
    expectJsonError(await runCli(["tenant", "list"], { token: randomBytes(32).toString("base64url") }), 1);
  });

  it("fails with exit 2 on usage errors, before any request", async () => {
    expectJsonError(await runCli(["tenant", "create"]), 2);
    expectJsonError(await runCli(["tenant", "frobnicate", "x"]), 2);
    expectJsonError(await runCli(["tenant", "list", "--no-such-option"]), 2);
    const human = await runCli(["tenant", "show"], { json: false });
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toMatch(/usage: gatehouse tenant show <slug>/);
  });
});

describe("gatehouse saml verify (offline) and saml attempts", () => {
  const CERT = fileURLToPath(new URL("../fixtures/certs/idp-rsa.pem", import.meta.url));
  const OTHER_CERT = fileURLToPath(new URL("../fixtures/certs/idp-rsa-next.pem", import.meta.url));

  async function savedResponse(overrides: Partial<ResponseSpec> = {}, encode: "xml" | "base64" | "form" = "base64"): Promise<string> {
    const now = Date.now();
    const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
    const spec: ResponseSpec = {
      responseId: `id${now}r`, assertionId: `id${now}a`, issuer: "http://www.okta.com/exk1", audience: "https://acme.theirapp.com", acsUrl: "https://acme.theirapp.com/okta/auth",
      nameId: "ada@acme.test", issueInstant: at(0), notBefore: at(-60), notOnOrAfter: at(300), confirmationNotOnOrAfter: at(300), sign: "assertion",
      signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256", attributes: { groups: ["Eng"] }, ...overrides,
    };
    const key = fileURLToPath(new URL("../fixtures/certs/idp-rsa.key", import.meta.url));
    const xml = signWithXmlsec1(buildResponse(spec), key, CERT, "assertion");
    const base64 = Buffer.from(xml).toString("base64");
    const file = join(mkdtempSync(join(tmpdir(), "gh-verify-")), "response.txt");
    writeFileSync(file, encode === "xml" ? xml : encode === "base64" ? base64 : `SAMLResponse=${encodeURIComponent(base64)}`);
    return file;
  }

  it("says VALID with what the response asserts, for XML, base64 and the form value", async () => {
    for (const encode of ["xml", "base64", "form"] as const) {
      const file = await savedResponse({}, encode);
      const result = await runCli(["saml", "verify", file, "--cert", CERT, "--audience", "https://acme.theirapp.com", "--acs", "https://acme.theirapp.com/okta/auth"], { token: null });
      expect(result.code, result.stderr).toBe(0);
      expect(parseJsonLine(result.stdout)).toMatchObject({ valid: true, assertion: { nameId: "ada@acme.test", issuer: "http://www.okta.com/exk1" } });
    }
    const human = await runCli(["saml", "verify", await savedResponse(), "--cert", CERT], { token: null, json: false });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^VALID/);
    expect(human.stdout).toContain("not checked: audience");
  });

  it("says INVALID with the reason (exit 1): wrong audience, wrong certificate, expired as of --now", async () => {
    const file = await savedResponse();
    const audience = await runCli(["saml", "verify", file, "--cert", CERT, "--audience", "https://other.test"], { token: null });
    expect(audience.code).toBe(1);
    expect(parseJsonLine(audience.stdout)).toMatchObject({ valid: false, reason: "audience_mismatch", detail: { expected: "https://other.test", got: ["https://acme.theirapp.com"] } });
    const certificate = await runCli(["saml", "verify", file, "--cert", OTHER_CERT], { token: null });
    expect(parseJsonLine(certificate.stdout)).toMatchObject({ valid: false, reason: "signature_invalid" });
    const later = await runCli(["saml", "verify", file, "--cert", CERT, "--now", new Date(Date.now() + 3600_000).toISOString()], { token: null, json: false });
    expect(later.code).toBe(1);
    expect(later.stdout).toMatch(/^INVALID: subject_confirmation_expired/); // the bearer confirmation is checked first
  });

  it("lists a tenant's sign-in attempts", async () => {
    const slug = newSlug();
    expect((await runCli(["tenant", "create", slug])).code).toBe(0);
    const empty = await runCli(["saml", "attempts", slug, "--failures", "--limit", "10"]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(parseJsonLine(empty.stdout)).toEqual({ attempts: [] });
  });
});

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

const CERT_FILE = fileURLToPath(new URL("../fixtures/certs/idp-rsa.pem", import.meta.url));
const WEAK_CERT_FILE = fileURLToPath(new URL("../fixtures/certs/weak-rsa1024.pem", import.meta.url));
const METADATA_FILE = fileURLToPath(new URL("../fixtures/okta-metadata.xml", import.meta.url));

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

/**
 * The admin console end to end in real headless Chromium (issue 4, §5): the real worker on plain Miniflare
 * (scripts/local-server.ts), the real CLI for the tenant and the one-time link, the browser for every page, and
 * from Node only what Okta would do — SCIM with the token the page showed, and a SAML response signed by
 * xmlsec1 (an implementation independent of ours) that the browser posts to the ACS as an IdP's page would.
 * Every page visited is saved as test-results/screenshots/NN-name.png (browser.ts).
 *
 * The flow is one tenant's life, so its steps run in order and build on each other: once a step fails, the later
 * ones are skipped with the name of the step they needed. Contract details the next steps do not depend on (nav
 * links, copy buttons, wording) are soft expectations: they fail the step but let the flow go on.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page, Response as PageResponse } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../scripts/local-server";
import { requestViaHost, type HostResponse } from "../../src/cli/host-request";
import { buildResponse } from "../support/saml/okta-response";
import { responseSpec } from "../support/saml/spec";
import { oktaUser } from "../support/scim-bodies";
import { signWithXmlsec1 } from "../support/saml/xmlsec1";
import { launchBrowser, type E2eBrowser } from "./browser";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/gatehouse.mjs", import.meta.url));
const IDP_CERT_FILE = fileURLToPath(new URL("../fixtures/certs/idp-rsa.pem", import.meta.url));
const IDP_KEY_FILE = fileURLToPath(new URL("../fixtures/certs/idp-rsa.key", import.meta.url));

/** Never contacted: the IdP-initiated login below needs no request to the IdP. */
const SSO_URL = "https://idp.example.test/app/sso/saml";
const ISSUER = "http://www.okta.com/exkE2E";
const NAV_LINKS = ["Overview", "Set up", "Activity", "Users", "Groups", "Remove"];

let server: LocalServer;
let chromium: E2eBrowser;

beforeAll(async () => {
  [server, chromium] = await Promise.all([startLocalServer({ port: 0 }), launchBrowser()]);
});

afterAll(async () => {
  await chromium?.close();
  await server?.dispose();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process, as test/cli/cli.test.ts runs it: --url, --operator-token=, --json. */
function runCli(args: string[]): Promise<CliResult> {
  const argv = [BIN, ...args, "--url", server.url, `--operator-token=${server.operatorToken}`, "--json"];
  const { GATEHOUSE_OPERATOR_TOKEN: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: REPO_ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

async function cliJson(args: string[]): Promise<Record<string, unknown>> {
  const result = await runCli(args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim()) as Record<string, unknown>;
}

/** A tenant and a one-time console link for it, both from the CLI. */
async function tenantWithAdminLink(prefix: string): Promise<{ slug: string; origin: string; link: string }> {
  const slug = `${prefix}-${randomBytes(4).toString("hex")}`;
  await cliJson(["tenant", "create", slug, "--name", `E2E ${slug}`]);
  const { url } = (await cliJson(["admin-link", slug])) as { url: string };
  const origin = `http://${slug}.localhost:${server.port}`;
  expect(url).toMatch(new RegExp(`^${origin.replace(/\./g, "\\.")}/settings/okta/sign-in\\?link=gh_link_`));
  return { slug, origin, link: url };
}

/** Opens the one-time link and presses its button; lands on the overview. */
async function signInWithLink(page: Page, origin: string, link: string): Promise<void> {
  expect((await page.goto(link))?.status()).toBe(200);
  await page.getByRole("button", { name: "Continue to the console" }).click();
  await page.waitForURL(`${origin}/settings/okta`);
}

/** A GET in the browser that must answer 200 (a 404 fails here at once, not after a locator's timeout). */
async function visit(page: Page, url: string): Promise<PageResponse> {
  const response = await page.goto(url);
  expect(response, url).not.toBeNull();
  expect(response!.status(), `GET ${url}`).toBe(200);
  return response!;
}

/**
 * Steps that build on each other: after one fails, the rest are skipped, naming the step that broke. A step the
 * later ones do not need (`{ blocking: false }`) still needs the earlier ones, but its failure skips nothing.
 */
function sequentialSteps() {
  let broken: string | undefined;
  return (name: string, body: () => Promise<void>, options: { blocking?: boolean } = {}) =>
    it(name, async (context) => {
      if (broken !== undefined) context.skip(`skipped: needs "${broken}"`);
      try {
        await body();
      } catch (error) {
        if (options.blocking !== false) broken = name;
        throw error;
      }
    });
}

function scimRequest(origin: string, token: string, method: string, path: string, body?: unknown): Promise<HostResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/scim+json" };
  if (body !== undefined) headers["content-type"] = "application/scim+json";
  return requestViaHost(origin, `/okta/scim/v2${path}`, body === undefined ? { method, headers } : { method, headers, body: JSON.stringify(body) });
}

/** An Okta-shaped response for `nameId`, valid now, its assertion signed by xmlsec1 with the IdP's key; base64. */
function signedSamlResponse(origin: string, nameId: string): string {
  const spec = responseSpec(origin, nameId, { issuer: ISSUER, attributes: { email: [nameId] } });
  return Buffer.from(signWithXmlsec1(buildResponse(spec), IDP_KEY_FILE, IDP_CERT_FILE, "assertion")).toString("base64");
}

/** What the IdP's browser page does (SAML bindings §3.5): a form POST of the response to the ACS. */
function idpPostPage(acsUrl: string, samlResponse: string): string {
  // Both values are URL and base64 characters only: nothing to escape inside the quoted attributes.
  return `<!doctype html><title>IdP</title><form method="post" action="${acsUrl}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><button type="submit">Continue</button></form>`;
}

// Code that runs in the page is a string: tsconfig.node.json has no DOM library (adding it would hand every
// Node file browser globals), and Playwright evaluates a string expression as it would a function.

function readClipboard(page: Page): Promise<string> {
  return page.evaluate<string>("navigator.clipboard.readText()");
}

interface FocusedElement {
  /** `tag:text`, e.g. `a:Overview`, `button:Sign out`. */
  name: string;
  focusVisible: boolean;
  /** "none" when no outline is drawn, else e.g. "3px solid". */
  outline: string;
}

const DESCRIBE_FOCUS = `(() => {
  const element = document.activeElement;
  if (!(element instanceof HTMLElement) || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    name: element.tagName.toLowerCase() + ":" + (element.textContent || "").trim(),
    focusVisible: element.matches(":focus-visible"),
    outline: style.outlineStyle === "none" || style.outlineWidth === "0px" ? "none" : style.outlineWidth + " " + style.outlineStyle,
  };
})()`;

async function overviewHtml(page: Page, origin: string): Promise<string> {
  await visit(page, `${origin}/settings/okta`);
  return page.locator("main").innerHTML();
}

describe("the set-up flow in Chromium: link, set up, provision, sign in, remove", () => {
  const step = sequentialSteps();
  let slug: string;
  let origin: string;
  let link: string;
  let context: BrowserContext;
  let page: Page;
  let scimToken: string;
  const users = [
    { givenName: "Ada", familyName: "Lovelace", userName: `ada.lovelace@e2e.test`, id: "" },
    { givenName: "Alan", familyName: "Turing", userName: `alan.turing@e2e.test`, id: "" },
  ];

  beforeAll(async () => {
    context = await chromium.newContext();
  });

  step("the CLI creates the tenant and a one-time admin link on the tenant's host", async () => {
    ({ slug, origin, link } = await tenantWithAdminLink("e2e"));
    // The copy buttons write to the clipboard; the test reads it back to see what they copied.
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    page = await context.newPage();
  });

  step("the link opens a sign-in page whose button leads to the overview, not yet connected", async () => {
    expect((await page.goto(link))?.status()).toBe(200);
    await chromium.screenshot(page, "sign-in");
    await page.getByRole("button", { name: "Continue to the console" }).click();
    await page.waitForURL(`${origin}/settings/okta`);
    const nav = await page.getByRole("navigation").getByRole("link").allTextContents();
    expect.soft(nav.map((text) => text.trim()), "nav links on the overview").toEqual(NAV_LINKS);
    expect(await page.locator("main").textContent()).toContain("Not connected");
    await chromium.screenshot(page, "overview-before");
  });

  step("set-up shows the Okta values, each with a copy button", async () => {
    await visit(page, `${origin}/settings/okta/setup`);
    await chromium.screenshot(page, "setup");
    const expected = { "value-acs-url": `${origin}/okta/auth`, "value-audience": origin, "value-scim-base-url": `${origin}/okta/scim/v2` };
    for (const [id, value] of Object.entries(expected)) {
      expect(await page.locator(`code#${id}`).textContent(), id).toBe(value);
      const copy = page.locator(`button.copy[data-copy="#${id}"]`);
      expect.soft(await copy.count(), `a button.copy for #${id}`).toBe(1);
    }
    // One copy button pressed for real: what lands on the clipboard is the value, exactly.
    const acsCopy = page.locator(`button.copy[data-copy="#value-acs-url"]`);
    if ((await acsCopy.count()) === 1) {
      await acsCopy.click();
      expect.soft(await readClipboard(page), "clipboard after copying the ACS URL").toBe(expected["value-acs-url"]);
    }
  });

  step("bad input gets a message beside each field and saves nothing", async () => {
    await page.locator("#ssoUrl").fill("http://idp.example.test/app/sso/saml");
    await page.locator("#issuer").fill(ISSUER);
    await page.locator("#certificate").fill("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe("/settings/okta/setup");
    for (const field of ["ssoUrl", "certificate"]) {
      const message = page.locator(`#${field}-error`);
      expect(await message.getAttribute("class"), `#${field}-error`).toContain("field-error");
      expect((await message.textContent())?.trim(), `#${field}-error`).not.toBe("");
    }
    expect(await page.locator("#scim-token").count()).toBe(0);
    await chromium.screenshot(page, "setup-errors");
    expect(await overviewHtml(page, origin)).toContain("Not connected");
  });

  step("valid input saves and shows the SCIM token once, with a copy button and a warning", async () => {
    await visit(page, `${origin}/settings/okta/setup`);
    await page.locator("#ssoUrl").fill(SSO_URL);
    await page.locator("#issuer").fill(ISSUER);
    await page.locator("#certificate").fill(readFileSync(IDP_CERT_FILE, "utf8"));
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const token = page.locator("#scim-token");
    scimToken = ((await token.textContent()) ?? "").trim();
    expect(scimToken).toMatch(/^gh_scim_/);
    await chromium.screenshot(page, "token");
    expect.soft(await page.locator("main").textContent(), "the shown-once warning").toContain("shown once");
    const copy = page.locator(`button.copy[data-copy="#scim-token"]`);
    expect.soft(await copy.count(), "a button.copy for #scim-token").toBe(1);
    if ((await copy.count()) === 1) {
      await copy.click();
      expect.soft(await readClipboard(page), "clipboard after copying the token").toBe(scimToken);
    }
  });

  step("the token from the page provisions two users and a group over SCIM", async () => {
    for (const user of users) {
      const created = await scimRequest(origin, scimToken, "POST", "/Users", oktaUser(user.userName));
      expect(created.status, created.body).toBe(201);
      user.id = (JSON.parse(created.body) as { id: string }).id;
    }
    const group = await scimRequest(origin, scimToken, "POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      members: users.map((user) => ({ value: user.id, display: user.userName })),
    });
    expect(group.status, group.body).toBe(201);
  });

  step("a signed SAML response posted by the browser signs the user in (GET /api/session)", async () => {
    // A second tab in the same browser: the first stays on the token page for the reload below.
    const idp = await context.newPage();
    await idp.setContent(idpPostPage(`${origin}/okta/auth`, signedSamlResponse(origin, users[0]!.userName)));
    await idp.getByRole("button", { name: "Continue" }).click();
    await idp.waitForURL((url) => url.origin === origin);
    const session = await visit(idp, `${origin}/api/session`);
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(users[0]!.userName);
    await chromium.screenshot(idp, "session");
    await idp.close();
  });

  step("the token is shown once: not after a reload, not on the set-up page, not going back", async () => {
    // Reloading a POST's answer would re-submit the form; the token page must not show a token either way.
    await page.reload();
    expect(await page.locator("#scim-token").count(), "after reloading the token page").toBe(0);
    await visit(page, `${origin}/settings/okta/setup`);
    expect(await page.locator("#scim-token").count(), "on the set-up page").toBe(0);
    // The entry before may be a POST's answer that Chromium will not show again (no-store: ERR_CACHE_MISS).
    await page.goBack().catch((error: Error) => expect(error.message).toContain("ERR_CACHE_MISS"));
    expect(await page.locator("#scim-token").count(), "going back").toBe(0);
    // Still the token the page showed: the reload did not replace it.
    expect((await scimRequest(origin, scimToken, "GET", "/Users")).status).toBe(200);
  });

  step("the overview shows the two provisioned users", async () => {
    expect(await overviewHtml(page, origin)).toMatch(/<strong>2<\/strong>\s*active users/);
    await chromium.screenshot(page, "overview-after");
  });

  step("the activity page opens", async () => {
    await visit(page, `${origin}/settings/okta/activity`);
    await chromium.screenshot(page, "activity");
  }, { blocking: false });

  step("the users page opens", async () => {
    await visit(page, `${origin}/settings/okta/users`);
    await chromium.screenshot(page, "users");
  }, { blocking: false });

  step("remove previews what goes and refuses a wrong tenant name, deleting nothing", async () => {
    await visit(page, `${origin}/settings/okta/remove`);
    const preview = (await page.locator("#remove-preview").textContent()) ?? "";
    for (const part of ["2 users", "1 group", "1 active session"]) expect(preview).toContain(part);
    await chromium.screenshot(page, "remove-preview");
    await page.locator("#confirm").fill(`not-${slug}`);
    await page.getByRole("button", { name: "Remove integration" }).click();
    await page.waitForLoadState();
    expect(((await page.locator("#confirm-error").textContent()) ?? "").trim()).not.toBe("");
    await chromium.screenshot(page, "remove-refused");
    const listed = await scimRequest(origin, scimToken, "GET", "/Users");
    expect(listed.status).toBe(200);
    expect((JSON.parse(listed.body) as { totalResults: number }).totalResults).toBe(2);
  });

  step("typing the tenant name removes the integration: token refused, users gone, not connected", async () => {
    await visit(page, `${origin}/settings/okta/remove`);
    await page.locator("#confirm").fill(slug);
    await page.getByRole("button", { name: "Remove integration" }).click();
    await page.getByRole("heading", { name: "Integration removed" }).waitFor();
    await chromium.screenshot(page, "removed");
    expect((await scimRequest(origin, scimToken, "GET", "/Users")).status).toBe(401);
    const overview = await overviewHtml(page, origin);
    expect(overview).toContain("Not connected");
    expect(overview).toMatch(/<strong>0<\/strong>\s*active users/);
    // The preview's "1 active session" ends with the integration.
    expect.soft((await requestViaHost(origin, "/api/session", { headers: { cookie: await sessionCookie(context, origin) } })).status, "the SSO session after removal").toBe(401);
  });
});

/** The browser's cookies for `origin` as a Cookie header, for asking from Node what the browser would get. */
async function sessionCookie(context: BrowserContext, origin: string): Promise<string> {
  return (await context.cookies(origin)).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

describe("the console on a narrow screen and from the keyboard", () => {
  it("fits 375 px without horizontal scroll, and Tab reaches every nav link and Sign out with a visible focus", async () => {
    const { origin, link } = await tenantWithAdminLink("e2e-narrow");
    const context = await chromium.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signInWithLink(page, origin, link);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth"), "scrollWidth at 375 px").toBeLessThanOrEqual(375);
    await chromium.screenshot(page, "narrow-overview");

    // Tab from the top of the page, recording what takes focus and whether the focus can be seen.
    const reached = new Map<string, { focusVisible: boolean; outline: string }>();
    await page.locator("body").focus();
    for (let press = 0; press < 40; press += 1) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate<FocusedElement | null>(DESCRIBE_FOCUS);
      if (focused === null || reached.has(focused.name)) continue;
      reached.set(focused.name, { focusVisible: focused.focusVisible, outline: focused.outline });
      if (focused.name === "a:Overview") await chromium.screenshot(page, "narrow-focus-nav");
    }
    for (const target of [...NAV_LINKS.map((label) => `a:${label}`), "button:Sign out"]) {
      const seen = reached.get(target);
      expect.soft(seen, `Tab reaches ${target}`).toBeDefined();
      if (seen) {
        expect.soft(seen.focusVisible, `${target} matches :focus-visible`).toBe(true);
        expect.soft(seen.outline, `${target} shows a focus outline`).not.toBe("none");
      }
    }
    await context.close();
  });
});

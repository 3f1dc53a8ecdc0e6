/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core (which ships no
 * browser of its own; `npx playwright install` is never run — it would download one). Screenshots land in
 * test-results/screenshots/NN-name.png, numbered in the order they are taken, so a reviewer can page through a
 * run. The directory is emptied at launch: a file left over from an earlier run would pass for this run's page.
 * One e2e test file at a time writes there (the numbering is per file).
 */
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start. The rest keep Chromium
 * from reaching for the network on its own (component updates, sync, QUIC probes): the tests have no internet,
 * and a browser that tries anyway is slower and noisier.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

/** Playwright's own waits (locators, navigation) give up well before vitest's test timeout, with a clearer error. */
const ACTION_TIMEOUT_MS = 10_000;

export interface E2eBrowser {
  browser: Browser;
  /** A fresh context (its own cookies); closed with the browser. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A full-page screenshot as test-results/screenshots/NN-name.png; returns the file's path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** `screenshotDir`: another e2e file that may run at the same time as console.test.ts gets its own directory. */
export async function launchBrowser(screenshotDir = SCREENSHOT_DIR): Promise<E2eBrowser> {
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  let taken = 0;
  return {
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext(options);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
      return context;
    },
    async screenshot(page, name) {
      taken += 1;
      const path = `${screenshotDir}${String(taken).padStart(2, "0")}-${name.replace(/[^a-z0-9-]+/gi, "-")}.png`;
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => browser.close(),
  };
}

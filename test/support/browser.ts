/// <reference lib="dom" />
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { projectRoot } from "../../src/config";
import { buildTestApp, type TestApp } from "./app";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const screenshotDir = path.join(projectRoot, "var", "screenshots");

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  mkdirSync(screenshotDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // The machine has no network: background services would only fail noisily.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  // Playwright waits 30 s per step by default; an upload that takes 2 s alone took longer than
  // that in CI beside another jest worker. Every page and context this browser opens waits 90 s.
  const newPage = browser.newPage.bind(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newPage = async (options) => withPatience(await newPage(options));
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(stepTimeoutMs);
    context.setDefaultNavigationTimeout(stepTimeoutMs);
    return context;
  };
  return browser;
}

const stepTimeoutMs = 90_000;
function withPatience(page: Page): Page {
  page.setDefaultTimeout(stepTimeoutMs);
  page.setDefaultNavigationTimeout(stepTimeoutMs);
  return page;
}

export interface ServedApp extends TestApp {
  baseUrl: string;
  server: Server;
  /** What the server is answering now and answered last (shown when a browser test fails). */
  traffic(): string[];
}

/** The requests a test server is answering, and the last ones it answered, with their times. */
export function trafficLog() {
  const open = new Map<IncomingMessage, { line: string; startedAt: number }>();
  const done: string[] = [];
  return {
    track(req: IncomingMessage, res: ServerResponse) {
      const startedAt = Date.now();
      const line = `${req.method} ${req.url}`;
      open.set(req, { line, startedAt });
      // A streamed download already has ten "close" listeners (the app's and its pipeline's);
      // this one is the test's own.
      res.setMaxListeners(res.getMaxListeners() + 1);
      res.once("close", () => {
        open.delete(req);
        const state = res.writableFinished ? String(res.statusCode) : "closed unfinished";
        done.push(`${line} → ${state} in ${Date.now() - startedAt} ms`);
        if (done.length > 15) done.shift();
      });
    },
    lines(): string[] {
      const now = Date.now();
      return [
        ...[...open.values()].map((r) => `still answering: ${r.line} for ${now - r.startedAt} ms`),
        ...done.map((line) => `answered: ${line}`),
      ];
    },
  };
}

/** The real app listening on a free loopback port. */
export async function serveTestApp(): Promise<ServedApp> {
  const testApp = await buildTestApp();
  const traffic = trafficLog();
  const server = createServer((req, res) => {
    traffic.track(req, res);
    testApp.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...testApp,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    traffic: () => traffic.lines(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await testApp.close();
    },
  };
}

/** Pages being watched in this test file, shown when a test fails. */
const watchedPages: { page: Page; problems: string[] }[] = [];

/** Collects what must never happen on our pages: console errors, script errors, other hosts. */
export function watchPage(page: Page, baseUrl: string): { problems: string[] } {
  const problems: string[] = [];
  watchedPages.push({ page, problems });
  const ownOrigin = new URL(baseUrl).origin;
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("data:") && new URL(url).origin !== ownOrigin)
      problems.push(`request to another host: ${url}`);
  });
  page.on("requestfailed", (request) => {
    const error = request.failure()?.errorText ?? "unknown";
    // ERR_ABORTED is the browser cancelling a request because the page moved on (a test
    // navigating while assets still load), not a failure of the app; a missing asset still
    // shows up as an HTTP error (next handler), a CSP-blocked one as a console error.
    if (error !== "net::ERR_ABORTED") problems.push(`failed request: ${request.url()} (${error})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { problems };
}

/** The served app and a browser for one test file: started before its tests, closed after. */
export function useBrowserApp(): { served: ServedApp; browser: Browser } {
  const handle = {} as { served: ServedApp; browser: Browser };
  beforeAll(async () => {
    handle.served = await serveTestApp();
    handle.browser = await launchBrowser();
  });
  reportFailures(() => ({ browser: handle.browser, traffic: handle.served?.traffic }));
  afterAll(async () => {
    await handle.browser?.close();
    await handle.served?.close();
  });
  return handle;
}

/**
 * After each test that failed (browserEnvironment.js flags it), prints what it left behind: each
 * open page's address, the start of its text and what its watcher saw, and the server's traffic —
 * so a step that timed out in CI says whether the browser never sent, the server never answered,
 * or the answer was an error page.
 */
export function reportFailures(
  current: () => { browser?: Browser; traffic?: () => string[] },
): void {
  afterEach(async () => {
    const state = globalThis as { __crmBrowserTestFailed?: boolean };
    const { browser, traffic } = current();
    if (state.__crmBrowserTestFailed && browser) {
      process.stderr.write(await failureReport(browser, traffic?.() ?? []));
    }
    state.__crmBrowserTestFailed = false;
    watchedPages.length = 0;
  });
}

async function failureReport(browser: Browser, traffic: string[]): Promise<string> {
  const lines = ["", "── browser test failed: what the browser and the server were doing ──"];
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      const text = await page
        .locator("body")
        .innerText({ timeout: 2_000 })
        .catch((error: Error) => `(no text: ${error.message.split("\n")[0]})`);
      lines.push(`page ${page.url()}`, `  text: ${text.replace(/\s+/g, " ").slice(0, 600)}`);
      const watched = watchedPages.find((w) => w.page === page);
      for (const problem of watched?.problems ?? []) lines.push(`  seen: ${problem}`);
    }
  }
  for (const line of traffic) lines.push(`server ${line}`);
  return lines.join("\n") + "\n\n";
}

/** Signs in through the login form, as a person would. */
export async function signInWithForm(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(baseUrl + "/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Drags a board card onto a column the way a hand does — press, a short move that lets SortableJS
 * start its drag, then the way to the target in steps — and waits for the move form's POST that
 * the drop submits. A drop that submits nothing fails here, naming the card's column at the time.
 */
export async function dragCardTo(page: Page, card: Locator, target: Locator): Promise<void> {
  const from = await card.boundingBox();
  await target.scrollIntoViewIfNeeded();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("the card or the target column is not on screen");
  const posted = page.waitForRequest((r) => r.method() === "POST" && /\/stage$/.test(r.url()), {
    timeout: 30_000,
  });
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 8, from.y + from.height / 2 + 8, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(40, to.height / 2), { steps: 12 });
  await page.mouse.up();
  await posted.catch(async (error: Error) => {
    const column = await card.evaluate(
      (el) => el.closest("[data-board-column]")?.getAttribute("data-move-value") ?? "none",
    );
    throw new Error(`the drop submitted no move (card now in column ${column}): ${error.message}`);
  });
}

/** The two screens every page is looked at on. */
export const phoneViewport = { width: 390, height: 844 };
export const desktopViewport = { width: 1366, height: 900 };
export const bothViewports = [
  ["1366", desktopViewport],
  ["390", phoneViewport],
] as const;

/** A fresh browser context at `viewport`, signed in through the form, its console watched. */
export async function signedInPage(
  env: { served: ServedApp; browser: Browser },
  viewport: { width: number; height: number },
  email: string,
  password: string,
) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const watch = watchPage(page, env.served.baseUrl);
  await signInWithForm(page, env.served.baseUrl, email, password);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return { context, page, watch };
}

/** Whether the page scrolls sideways (a pixel of rounding allowed). */
export const fitsWidth = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

/** A full-page screenshot to /tmp when H3_SHOTS is set, for a person to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.H3_SHOTS) await page.screenshot({ path: `/tmp/h3-${name}.png`, fullPage: true });
}

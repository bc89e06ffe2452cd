/// <reference lib="dom" />
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import {
  buildActivityLog,
  buildBusiness,
  buildCustomer,
  buildSession,
  buildTask,
  buildUser,
  defaultPassword,
} from "../factories";

/**
 * Item 12 of issue 10, as a person meets it: the favicon, sign-up on the landing page, an upload
 * refused without the CSRF token ever in the address bar, no broken picture after a refused
 * photo, times in the business's zone on every page, and no CSP violation from a live search.
 * Every page visited is watched: no console error, no failed request, no CSP violation.
 */
const phone = { width: 390, height: 844 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `small-${name}.png`), fullPage: true });

/** CSP violations are reported as console errors, which watchPage collects. */
async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      // In the page, not in Node: the console is how the browser tells the test.
      // eslint-disable-next-line no-console
      console.error(`CSP violation: ${event.violatedDirective} from ${event.sourceFile}`);
    });
  });
}

describe("small things a user notices", () => {
  const env = useBrowserApp();
  const url = (p: string) => env.served.baseUrl + p;

  async function open(options: { javaScript?: boolean; viewport?: typeof phone } = {}) {
    const context = await env.browser.newContext({
      viewport: options.viewport ?? { width: 1366, height: 900 },
      javaScriptEnabled: options.javaScript ?? true,
    });
    await reportCspViolations(context);
    const page = await context.newPage();
    return { context, page, watch: watchPage(page, env.served.baseUrl) };
  }

  async function signIn(page: Page, email: string) {
    await signInWithForm(page, env.served.baseUrl, email, defaultPassword);
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  }

  it("serves /favicon.ico, and the landing page offers sign-up next to sign-in", async () => {
    const icon = await fetch(url("/favicon.ico"));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/x-icon");
    // An .ico file: reserved 0, type 1, then its image count.
    expect([...new Uint8Array(await icon.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);

    for (const viewport of [phone, { width: 1366, height: 900 }]) {
      const { context, page, watch } = await open({ viewport });
      await page.goto(url("/"));
      await page.waitForLoadState("networkidle");
      const signUp = page.getByRole("link", { name: "Create a free account" });
      expect(await signUp.isVisible()).toBe(true);
      expect(await page.getByRole("link", { name: "Sign in" }).first().isVisible()).toBe(true);
      await shot(page, `landing-${viewport.width}`);
      await signUp.click();
      await page.waitForURL(url("/register"));
      await page.getByRole("button", { name: "Create account" }).waitFor();
      // The browser asked for /favicon.ico on its own: a 404 would be a problem here.
      expect(watch.problems).toEqual([]);
      await context.close();
    }
  });

  it("'Upload' with no file (or a refused one) never puts the CSRF token in the address bar", async () => {
    const owner = await buildUser(env.served.deps.models, { planCode: "gold" });
    await buildBusiness(env.served.deps.models, { owner });

    const { context, page, watch } = await open();
    await signIn(page, owner.email);
    await page.goto(url("/imports/new"));
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByText("Choose a CSV or Excel file to upload.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/imports");
    expect(page.url()).not.toContain("_csrf");
    expect(await page.content()).not.toContain("_csrf=");
    await shot(page, "import-no-file");
    // The refusal itself is the only error the browser saw.
    expect(watch.problems.filter((p) => !p.includes("422"))).toEqual([]);
    await context.close();

    // The photo form without JavaScript: a text file dressed as a PNG is refused by the server.
    const plain = await open({ javaScript: false });
    await signIn(plain.page, owner.email);
    await plain.page.goto(url("/profile"));
    await plain.page.setInputFiles("#field-avatar", {
      name: "photo.png",
      mimeType: "image/png",
      buffer: Buffer.from("just some text, not a picture\n"),
    });
    await plain.page.getByRole("button", { name: "Upload photo" }).click();
    await plain.page.locator('[data-slot="avatar-error"]').waitFor();
    expect(new URL(plain.page.url()).pathname).toBe("/profile/avatar");
    expect(plain.page.url()).not.toContain("_csrf");
    await plain.context.close();
  });

  it("a photo the browser cannot read leaves no broken picture behind", async () => {
    const user = await buildUser(env.served.deps.models);
    const { context, page, watch } = await open();
    await signIn(page, user.email);
    await page.goto(url("/profile"));
    await page.waitForLoadState("networkidle");
    await page.setInputFiles("#field-avatar", {
      name: "photo.png",
      mimeType: "image/png",
      buffer: Buffer.from("just some text, not a picture\n"),
    });
    await page.getByText("That file is not a picture we can read.").waitFor();
    expect(await page.locator("[data-avatar-cropper]").isVisible()).toBe(false);
    expect(await page.locator("[data-avatar-preview]").getAttribute("src")).toBeNull();
    // The refused file is no longer chosen: "Upload photo" asks for a picture again.
    expect(await page.locator("#field-avatar").inputValue()).toBe("");
    const broken = await page.evaluate(() =>
      Array.from(document.images).filter(
        (img) => img.getAttribute("src") && img.complete && img.naturalWidth === 0,
      ),
    );
    expect(broken).toHaveLength(0);
    await shot(page, "avatar-refused");
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it("shows sessions and activity in the business's time zone, as the tasks page", async () => {
    const { models } = env.served.deps;
    const { business, owner } = await buildBusiness(models, { timeZone: "Asia/Kolkata" });
    const at = new Date("2026-11-22T14:03:00Z");
    await buildTask(models, business, { title: "Deliver the sarees", dueAt: at });
    await buildActivityLog(models, { userId: owner.id, action: "password.changed", createdAt: at });
    await buildSession(models, {
      userId: owner.id,
      kind: "api",
      userAgent: "curl/8.5.0",
      createdAt: at,
      lastSeenAt: at,
    });

    const { context, page, watch } = await open();
    await signIn(page, owner.email);
    // 14:03 UTC is 19:33 in India.
    await page.goto(url("/tasks"));
    expect(await page.locator("tr", { hasText: "Deliver the sarees" }).innerText()).toContain(
      "22 Nov 2026, 19:33",
    );
    await page.goto(url("/profile/activity"));
    const row = page.locator('tr[data-action="password.changed"]');
    expect(await row.locator("time").innerText()).toBe("22 Nov 2026, 19:33");
    expect(await page.locator('[data-slot="time-zone"]').innerText()).toBe("Asia/Kolkata");
    await page.goto(url("/profile/sessions"));
    const api = page.locator('[data-kind="api"]');
    expect(await api.locator("time").allInnerTexts()).toEqual([
      "22 Nov 2026, 19:33",
      "22 Nov 2026, 19:33",
    ]);
    expect(await page.locator('[data-slot="time-zone"]').innerText()).toBe("Asia/Kolkata");
    expect(await page.locator("main").innerText()).not.toContain("UTC");
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it("a live search logs no CSP violation, even after the menu and a dropdown were opened; Back shows the list again", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner });
    await buildCustomer(models, business, { name: "Rohan Gupta" });
    await buildCustomer(models, business, { name: "Asha Rao" });

    const { context, page, watch } = await open({ viewport: phone });
    await signIn(page, owner.email);
    await page.goto(url("/customers"));
    await page.waitForLoadState("networkidle");
    // Bootstrap leaves style="" on what it showed (the body after the menu, a dropdown's list):
    // htmx must not copy those into the page again.
    await page.getByRole("button", { name: "Open menu" }).click();
    await page.locator("#sidebar.show").waitFor();
    await page.keyboard.press("Escape");
    await page.locator("#sidebar.show").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Export" }).click();
    await page.keyboard.press("Escape");

    await page.getByLabel("Search").pressSequentially("rohan", { delay: 30 });
    await page.waitForFunction(
      () => document.querySelectorAll("#customer-results tbody a").length === 1,
    );
    expect(page.url()).toContain("q=rohan");
    await page.goBack();
    await page.waitForURL(url("/customers"));
    await page.waitForFunction(
      () => document.querySelectorAll("#customer-results tbody a").length === 2,
    );
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});

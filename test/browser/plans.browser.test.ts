/// <reference lib="dom" />
import path from "node:path";
import type { Page } from "playwright-core";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildUser, defaultPassword } from "../factories";

/** The page is no wider than the screen (nothing scrolls sideways). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * Issue 10, item 8: on Free, gated features show which plan unlocks them and lead to the plans
 * page — from the customer list's Import button, the menu, and a gated page's 402 — at desktop
 * and phone width.
 */
describe("plan gates in a browser", () => {
  const env = useBrowserApp();

  it("lead a Free owner from a locked entry to the plans, with the current plan marked", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { name: "Farah Free", planCode: "free" });
    await buildBusiness(models, { owner, name: "Free Florists" });
    const base = env.served.baseUrl;
    const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const watch = watchPage(page, base);
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    // The customer list: Import carries a lock and the plan's name; the empty list says the same.
    await page.goto(base + "/customers");
    const importButton = page.locator('[data-locked="imports"]');
    expect(await importButton.innerText()).toContain("Silver");
    expect(await page.locator("[data-empty]").innerText()).toContain(
      "importing a file comes with the Silver plan",
    );
    await page.screenshot({ path: path.join(screenshotDir, "plans-customers-free-1366.png") });

    // The gated entry leads to the plans page, at the row of that feature, Free marked current.
    await importButton.click();
    await page.waitForURL(
      (url) => url.pathname === "/pricing/silver" && url.hash === "#feature-imports",
    );
    await page.locator('[data-plan="free"] [data-current]').waitFor();
    expect(await page.locator("[data-current]").count()).toBe(1);
    expect(await page.locator("#feature-imports").innerText()).toContain("Imports");
    expect(await page.locator('[data-plan="silver"][data-suggested]').count()).toBe(1);
    expect(await page.locator("[data-not-configured]").innerText()).toContain(
      "Payments are not configured on this server.",
    );
    expect(await fitsWidth(page)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshotDir, "plans-1366.png"), fullPage: true });

    // The menu's locked Segments goes to the same page.
    await page.goto(base + "/customers");
    const menuEntry = page.locator('#sidebar [data-locked="Segments"]');
    expect(await menuEntry.innerText()).toContain("Silver");
    await menuEntry.click();
    await page.waitForURL(
      (url) => url.pathname === "/pricing/silver" && url.hash === "#feature-segments",
    );

    // A gated page reached anyway (an old bookmark) says why and links to the plans.
    const gated = await page.goto(base + "/segments");
    expect(gated?.status()).toBe(402);
    expect(await page.title()).toBe("Upgrade needed · CRM");
    expect(await page.locator("main").innerText()).toContain(
      "The Silver plan and above include Segments; this business is on the Free plan.",
    );
    await page.screenshot({ path: path.join(screenshotDir, "plans-402-1366.png") });
    await page.getByRole("link", { name: "See the plans" }).click();
    await page.waitForURL((url) => url.pathname === "/pricing/silver");

    // At phone width: the same path, and nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + "/customers");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, "plans-customers-free-390.png") });
    await page.locator('[data-locked="imports"]').click();
    await page.waitForURL((url) => url.pathname === "/pricing/silver");
    await page.locator('[data-plan="free"] [data-current]').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    // The compare table fits the phone too, not only the page.
    expect(
      await page.evaluate(() => {
        const table = document.querySelector(".plans-compare")!;
        return table.scrollWidth <= table.parentElement!.clientWidth;
      }),
    ).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshotDir, "plans-390.png"), fullPage: true });
    await page.goto(base + "/segments");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, "plans-402-390.png") });

    // The only errors the browser saw are the two deliberate 402s.
    // (the browser logs each as a failed resource too).
    const deliberate = (p: string) => p.startsWith("HTTP 402") || p.includes("status of 402");
    expect(watch.problems.filter((p) => !deliberate(p))).toEqual([]);
    expect(watch.problems.filter((p) => p.startsWith("HTTP 402"))).toHaveLength(2);
    await page.close();
  });

  it("show a visitor the plans without a sign-in", async () => {
    const base = env.served.baseUrl;
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    const watch = watchPage(page, base);
    await page.goto(base + "/plans"); // the old address: redirected to /pricing
    expect(new URL(page.url()).pathname).toBe("/pricing");
    expect(await page.locator("[data-plan]").count()).toBe(4);
    expect(await page.locator("[data-current]").count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({
      path: path.join(screenshotDir, "plans-visitor-390.png"),
      fullPage: true,
    });
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});

/// <reference lib="dom" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildTestApp, type TestApp } from "../support/app";
import { launchBrowser, screenshotDir, signInWithForm, watchPage } from "../support/browser";
import { startRazorpayStandIn, type RazorpayStandIn } from "../support/razorpayStandIn";
import { buildBusiness, buildUser, defaultPassword } from "../factories";

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * Issue 13 item 5: pricing → Checkout (the stand-in's page in place of Razorpay's) → upgraded
 * plan → invoice listed and its PDF downloaded. The app listens on a real port (APP_URL is the
 * callback's address) and the stand-in delivers its signed webhooks to it as Razorpay would.
 */
describe("paying for a plan in a browser", () => {
  let rz: RazorpayStandIn;
  let t: TestApp;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    rz = await startRazorpayStandIn();
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await buildTestApp({ ...rz.config(), APP_URL: base });
    handle = t.app;
    rz.webhookUrl = `${base}/webhooks/razorpay`;
    rz.autoDeliver = true;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    await rz?.stop();
  });

  it("walks pricing → checkout → upgraded plan → invoice PDF", async () => {
    const owner = await buildUser(t.deps.models, { name: "Kavya Nair", planCode: "free" });
    const { business } = await buildBusiness(t.deps.models, { owner, name: "Nair Naturals" });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const watch = watchPage(page, base);
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.goto(`${base}/pricing`);
    expect(await page.locator('[data-plan="free"] [data-current]').count()).toBe(1);
    expect(await page.locator('[data-plan="silver"]').innerText()).toContain("₹1,178.82");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, "pricing-390.png"), fullPage: true });

    await page
      .locator('[data-upgrade="silver"]')
      .getByRole("button", { name: "Upgrade, monthly" })
      .click();
    await page.waitForURL(/\/billing\/pay\/\d+$/);
    expect(await page.locator("[data-total]").innerText()).toBe("₹1,178.82");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({
      path: path.join(screenshotDir, "billing-pay-390.png"),
      fullPage: true,
    });
    const pay = page.getByRole("button", { name: "Pay ₹1,178.82" });
    await pay.waitFor();
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>("[data-checkout]")?.disabled,
    );
    await pay.click();

    // The stand-in's checkout page in place of Razorpay's: the card is declined first.
    await page.waitForURL((url) => url.origin === rz.url && url.pathname === "/checkout");
    await page.getByRole("button", { name: "Fail payment" }).click();
    await page.waitForURL(
      (url) => url.origin === base && /\/billing\/pay\/\d+$/.test(url.pathname),
    );
    expect(await page.locator("[data-failed]").innerText()).toContain("Your card was declined.");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({
      path: path.join(screenshotDir, "billing-pay-failed-390.png"),
      fullPage: true,
    });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({
      path: path.join(screenshotDir, "billing-pay-failed-1366.png"),
      fullPage: true,
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const retry = page.getByRole("button", { name: "Try again: pay ₹1,178.82" });
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>("[data-checkout]")?.disabled,
    );
    await retry.click();
    await page.waitForURL((url) => url.origin === rz.url && url.pathname === "/checkout");
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.waitForURL((url) => url.origin === base && url.pathname === "/billing");
    expect(await page.locator("[data-paid]").innerText()).toContain("your account is on Silver");
    expect(await page.locator("[data-status]").innerText()).toBe("Active");
    expect(await page.locator("[data-summary]").innerText()).toContain("billed monthly; renews on");

    // The invoice is listed at once; its PDF is rendered by a job and then offered for download.
    await page.locator("[data-invoice]").first().waitFor();
    const download = page.getByRole("link", { name: "Download PDF" });
    for (let i = 0; i < 50 && (await download.count()) === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await page.reload();
    }
    const href = await download.first().getAttribute("href");
    const pdf = await page.request.get(`${base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toContain("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, "billing-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: path.join(screenshotDir, "billing-1366.png"), fullPage: true });

    const sub = await t.deps.models.Subscription.findOne({ where: { userId: owner.id } });
    expect(sub).toMatchObject({
      status: "active",
      planCode: "silver",
      billingBusinessId: business.id,
    });
    // The stand-in's own pages are the only other host the browser saw.
    expect(watch.problems.filter((p) => !p.includes(rz.url))).toEqual([]);
    await page.close();
  });
});

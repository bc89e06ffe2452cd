/// <reference lib="dom" />
import path from "node:path";
import { importDemoCustomers } from "../../seeders/20261122002500-demo-customers";
import { seedDemoSales } from "../../seeders/20261224000500-demo-sales";
import { seedDemoDashboard, seedDemoMarketing } from "../../seeders/20261230003020-demo-marketing";
import { runCampaignDispatch } from "../../src/commands/campaigns/sending/dispatch";
import { buildBusiness, buildUser, defaultPassword } from "../factories";
import { buildRecipient, buildSendCampaign } from "../factoriesCampaignSends";
import { contextFor } from "../support/deps";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";

/**
 * The demo owner's dashboard (issue 15, "done when"): Demo Traders seeded by the demo seeders
 * themselves, every card filled from that data at 1366 px, one column without sideways scroll at
 * 390 px; and the campaign card and the feed refresh live when a campaign completes.
 */
jest.setTimeout(120_000);
const wide = { width: 1366, height: 900 };
const phone = { width: 390, height: 844 };

describe("the demo owner's dashboard in a browser", () => {
  const env = useBrowserApp();

  it("fills every card from the demo data, in one column at 390 px, and refreshes live", async () => {
    const { models, sequelize } = env.served.deps;
    const owner = await buildUser(models, { name: "Demo Owner", planCode: "gold" });
    const { business } = await buildBusiness(models, {
      owner,
      name: "Demo Traders",
      timeZone: "Asia/Kolkata",
    });
    const context = { sequelize, models, announce: () => undefined };
    const now = new Date();
    await importDemoCustomers(context, owner, business);
    await seedDemoSales(context, owner, business, now);
    await seedDemoMarketing(context, business, now);
    await seedDemoDashboard(context, business, now);

    const page = await env.browser.newPage({ viewport: wide });
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const cards = await page.locator("[data-card]").evaluateAll((found) =>
      found.map((card) => ({
        key: card.getAttribute("data-card"),
        locked: card.hasAttribute("data-locked"),
        // The largest number on the card (its figures are the bold ones).
        top: Math.max(
          0,
          ...Array.from(card.querySelectorAll(".fw-semibold")).map((n) =>
            Number((n.textContent ?? "").replace(/[^\d.]/g, "") || 0),
          ),
        ),
        items: card.querySelectorAll('[data-slot="items"] li, li.border-bottom').length,
      })),
    );
    const keys = cards.map((c) => c.key);
    for (const key of ["customers", "celebrations", "leads", "deals", "won", "tasks"])
      expect(keys).toContain(key);
    expect(keys).toEqual(expect.arrayContaining(["campaign", "social", "activity"]));
    for (const card of cards) {
      expect({ key: card.key, locked: card.locked }).toEqual({ key: card.key, locked: false });
      if (card.key === "activity") expect(card.items).toBeGreaterThan(3);
      else expect({ key: card.key, filled: card.top > 0 }).toEqual({ key: card.key, filled: true });
    }
    const campaign = page.locator('[data-card="campaign"]');
    expect(await campaign.textContent()).toContain("Campaign: Diwali Offer");
    expect(await campaign.locator('[data-slot="stats"] li').count()).toBe(4);
    expect(await page.locator('[data-card="social"] [data-slot="items"] li').count()).toBe(3);
    expect(await page.getByText(/completed: \d+ delivered/).count()).toBeGreaterThan(0);
    await page.screenshot({
      path: path.join(screenshotDir, "dashboard-demo-1366.png"),
      fullPage: true,
    });

    // Another campaign finishes sending while the page is open: its card and the feed refresh.
    const festive = await buildSendCampaign(models, business, {
      name: "Year End Sale",
      sendState: "sending",
      sendStartedAt: new Date(),
    });
    for (const status of ["delivered", "read", "failed"] as const)
      await buildRecipient(models, business, festive, { status });
    await page.waitForFunction(() =>
      document.querySelector('[data-slot="notifications"]')?.hasAttribute("data-unread"),
    );
    const ctx = await contextFor({ sequelize, models }, business, owner);
    expect(await runCampaignDispatch(env.served.deps, ctx, festive.id)).toBe("completed");
    await page.waitForFunction(() =>
      document.querySelector('[data-card="campaign"]')?.textContent?.includes("Year End Sale"),
    );
    await page.waitForFunction(() =>
      document
        .querySelector('[data-card="activity"]')
        ?.textContent?.includes("completed: 2 delivered, 1 failed"),
    );
    expect(watch.problems).toEqual([]);

    await page.setViewportSize(phone);
    await page.goto(env.served.baseUrl + "/");
    const widths = await page
      .locator("[data-card]")
      .evaluateAll((found) => found.map((c) => Math.round(c.getBoundingClientRect().width)));
    expect(new Set(widths).size).toBe(1);
    const lefts = await page
      .locator("[data-card]")
      .evaluateAll((found) => found.map((c) => Math.round(c.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      phone.width,
    );
    await page.screenshot({
      path: path.join(screenshotDir, "dashboard-demo-390.png"),
      fullPage: true,
    });
    for (const key of ["campaign", "social"])
      await page.locator(`[data-card="${key}"]`).screenshot({
        path: path.join(screenshotDir, `dashboard-demo-390-${key}.png`),
      });
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});

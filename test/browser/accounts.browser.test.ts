/// <reference lib="dom" />
import path from "node:path";
import type { Page } from "playwright-core";
import { screenshotDir, useBrowserApp, watchPage } from "../support/browser";
import { linksIn, waitForMail } from "../support/outbox";
import { uniqueEmail } from "../factories";

/** The journey of a new customer of ours: sign up, activate, create a business, bring a teammate. */
describe("accounts journey in a browser", () => {
  const env = useBrowserApp();

  const local = (link: string) =>
    env.served.baseUrl + new URL(link).pathname + new URL(link).search;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

  it("register → activate from the e-mail → create a business → invite → teammate accepts and sees the sales menu", async () => {
    const ownerEmail = uniqueEmail("owner");
    const mateEmail = uniqueEmail("mate");
    const owner = await env.browser.newContext();
    const page = await owner.newPage();
    const watch = watchPage(page, env.served.baseUrl);

    await page.goto(env.served.baseUrl + "/register");
    await page.getByLabel("Your name").fill("Anita Desai");
    await page.getByLabel("E-mail").fill(ownerEmail);
    await page.getByLabel("Password", { exact: true }).fill("weak");
    expect(await page.locator("[data-meter-label]").textContent()).toBe("Very weak");
    await page.getByLabel("Password", { exact: true }).fill("Chai-at-four-o-clock-2026");
    expect(await page.locator("[data-meter-label]").textContent()).toBe("Strong");
    await shot(page, "register");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Check your inbox").waitFor();

    const activation = linksIn(
      await waitForMail(ownerEmail, { template: "activation" }),
    )[0] as string;
    await page.goto(local(activation));
    await page.getByRole("button", { name: "Activate my account" }).click();
    await page.waitForURL(/\/onboarding$/);
    await page.getByLabel("Business name").fill("Desai Textiles");
    await page.getByLabel("Phone").fill("98200 12345");
    await shot(page, "onboarding");
    await page.getByRole("button", { name: "Create business" }).click();
    await page.waitForURL(env.served.baseUrl + "/");
    expect(
      await page.getByRole("button", { name: /Current business: Desai Textiles/ }).isVisible(),
    ).toBe(true);

    await page.getByRole("link", { name: "Team", exact: true }).click();
    await page.getByLabel("E-mail").fill(mateEmail);
    await page.getByLabel("Role").selectOption("sales");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByText(`Invitation sent to ${mateEmail}.`).waitFor();
    await shot(page, "team");

    const invitation = linksIn(
      await waitForMail(mateEmail, { template: "invitation" }),
    )[0] as string;
    const mate = await env.browser.newContext();
    const matePage = await mate.newPage();
    const mateWatch = watchPage(matePage, env.served.baseUrl);
    await matePage.goto(local(invitation));
    await matePage.getByLabel("Your name").fill("Vikram Rao");
    await matePage.getByLabel("Password", { exact: true }).fill("Rainy-day-in-Mumbai-77");
    await matePage.getByRole("button", { name: "Create account and join" }).click();
    await matePage.waitForURL(env.served.baseUrl + "/");
    expect(await matePage.getByText("You joined Desai Textiles.").isVisible()).toBe(true);

    const menu = await matePage.locator("#sidebar nav a:not([data-locked])").allTextContents();
    expect(menu.map((label) => label.trim())).toEqual([
      "Dashboard",
      "Customers",
      "Tasks",
      "Segments",
      "Imports",
      "Team",
      "My businesses",
    ]);
    // The owner's new account tries Silver (14 days from its first business): what Silver lacks
    // and the role could use is shown locked, naming the plan.
    const locked = matePage.locator("#sidebar nav a[data-locked]");
    expect(await locked.evaluateAll((links) => links.map((a) => a.dataset.locked))).toEqual([
      "Leads",
      "Deals",
      "Analytics",
    ]);
    await shot(matePage, "teammate-dashboard");

    expect(watch.problems).toEqual([]);
    expect(mateWatch.problems).toEqual([]);
    await owner.close();
    await mate.close();
  });
});

/// <reference lib="dom" />
import type { Page } from "playwright-core";
import { signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildCustomer, buildUser, defaultPassword } from "../factories";
import { buildSendCampaign } from "../factoriesCampaignSends";

jest.setTimeout(180_000);

/**
 * Suppressed e-mail addresses as a marketer meets them: the list with a long address and reason
 * fits a 390 px phone and a 1366 px screen, and lifting one goes through its confirmation.
 * Screenshots go to /tmp (H3_SHOTS=1).
 */
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };

async function shot(page: Page, name: string) {
  if (process.env.H3_SHOTS) await page.screenshot({ path: `/tmp/h3-${name}.png`, fullPage: true });
}

const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe("suppressed e-mail addresses in a browser", () => {
  const env = useBrowserApp();
  const url = (p: string) => env.served.baseUrl + p;

  it("lists them on a phone and a desktop, and lifts one after confirming", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Lotus Sarees" });
    const meera = await buildCustomer(models, business, { name: "Meera Iyer" });
    const campaign = await buildSendCampaign(models, business, {
      name: "Festive season wholesale catalogue launch",
      channel: "email",
    });
    for (const [email, customerId] of [
      ["meera.iyer.wholesale.enquiries@long-mailbox-provider.example.com", meera.id],
      ["old-address@example.test", null],
    ] as const)
      await models.EmailSuppression.create({
        businessId: business.id,
        email,
        reason: `550 5.1.1 <${email}>: Recipient address rejected: User unknown in virtual mailbox table`,
        campaignId: campaign.id,
        customerId,
      });

    for (const [size, viewport] of [
      ["1366", desktop],
      ["390", phone],
    ] as const) {
      const context = await env.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      await page.goto(url("/settings/email-suppressions"));
      await page.getByRole("link", { name: "Meera Iyer" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `suppressions-${size}`);
      expect(watch.problems).toEqual([]);
      await context.close();
    }

    const context = await env.browser.newContext({ viewport: phone });
    const page = await context.newPage();
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(url("/settings/email-suppressions?q=old-address"));
    await page
      .getByRole("link", { name: "Lift… the suppression of old-address@example.test" })
      .click();
    await page.getByRole("heading", { name: /again\?/ }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "suppressions-lift-390");
    await page.getByRole("button", { name: "Lift the suppression" }).click();
    await page.getByText("old-address@example.test will receive marketing e-mail again.").waitFor();
    expect(await models.EmailSuppression.count({ where: { businessId: business.id } })).toBe(1);
    await context.close();
  });
});

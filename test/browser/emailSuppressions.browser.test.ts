/// <reference lib="dom" />
import {
  bothViewports,
  fitsWidth,
  phoneViewport,
  shot,
  signedInPage,
  useBrowserApp,
} from "../support/browser";
import { buildBusiness, buildCustomer, buildUser, defaultPassword } from "../factories";
import { buildSendCampaign } from "../factoriesCampaignSends";

jest.setTimeout(180_000);

/**
 * Suppressed e-mail addresses as a marketer meets them: the list with a long address and reason
 * fits a 390 px phone and a 1366 px screen, and lifting one goes through its confirmation.
 * Screenshots go to /tmp (H3_SHOTS=1).
 */
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

    for (const [size, viewport] of bothViewports) {
      const { context, page, watch } = await signedInPage(
        env,
        viewport,
        owner.email,
        defaultPassword,
      );
      await page.goto(url("/settings/email-suppressions"));
      await page.getByRole("link", { name: "Meera Iyer" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `suppressions-${size}`);
      expect(watch.problems).toEqual([]);
      await context.close();
    }

    const { context, page } = await signedInPage(env, phoneViewport, owner.email, defaultPassword);
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

/// <reference lib="dom" />
import {
  bothViewports,
  desktopViewport,
  fitsWidth,
  phoneViewport,
  shot,
  signedInPage,
  useBrowserApp,
  watchPage,
} from "../support/browser";
import {
  buildBusiness,
  buildCustomer,
  buildUser,
  defaultPassword,
  uniqueEmail,
} from "../factories";
import { buildEmailTemplate } from "../factoriesEmail";
import { signToken } from "../../src/commands/tracking/tokens";

jest.setTimeout(180_000);

/**
 * E-mail templates and the unsubscribe page as people meet them: the editor's live preview
 * follows typing (no reload), the pages fit a 390 px phone without sideways scrolling, and the
 * unsubscribe page's button works with no session. Screenshots go to /tmp (H3_SHOTS=1).
 */
describe("e-mail templates in a browser", () => {
  const env = useBrowserApp();
  const url = (p: string) => env.served.baseUrl + p;

  it("previews live as the marketer types, on a desktop and a phone", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Lotus Sarees" });
    await buildCustomer(models, business, { name: "Meera Iyer", email: uniqueEmail("meera") });
    const template = await buildEmailTemplate(models, business, { name: "Festive offer" });

    for (const [size, viewport] of bothViewports) {
      const { context, page, watch } = await signedInPage(
        env,
        viewport,
        owner.email,
        defaultPassword,
      );

      await page.goto(url("/email-templates"));
      await page.getByRole("link", { name: "Festive offer" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `email-list-${size}`);

      await page.goto(url(`/email-templates/${template.id}`));
      const frame = page.frameLocator("iframe[name=email-preview]");
      await frame.getByText("Hello Meera,", { exact: true }).waitFor();
      await page.getByLabel("Subject").fill("Diwali for {{customer.first_name}}");
      await frame.locator(".crm-meta").getByText("Diwali for Meera").waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `email-editor-${size}`);

      expect(watch.problems).toEqual([]);
      await page.goto(url("/email-templates/new"));
      await page.getByLabel("Name").fill("Broken");
      await page.getByLabel("Subject").fill("Hi {{customer.nmae}}");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Unknown variable {{customer.nmae}}").first().waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `email-new-error-${size}`);
      // The refused save answers 422 on purpose; nothing else went wrong.
      expect(watch.problems.filter((p) => !p.includes("422"))).toEqual([]);
      await context.close();
    }
  });

  it("unsubscribes from the page's button with no session, on a phone", async () => {
    const { models, config } = env.served.deps;
    const { business } = await buildBusiness(models, { name: "Lotus Sarees" });
    const customer = await buildCustomer(models, business, { email: uniqueEmail("u") });
    // A test message's token: the page behaves the same, and nobody is unsubscribed.
    const token = signToken(config.secretsKey, {
      kind: "u",
      businessId: business.id,
      customerId: customer.id,
      recipientId: 0,
    });
    for (const [size, viewport] of [
      ["390", phoneViewport],
      ["1366", desktopViewport],
    ] as const) {
      const context = await env.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await page.goto(url(`/u/${token}`));
      await page.getByRole("heading", { name: "Unsubscribe from Lotus Sarees e-mails" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await shot(page, `unsubscribe-${size}`);
      await page.getByRole("button", { name: "Unsubscribe" }).click();
      await page.getByText("Test message: nobody was unsubscribed").waitFor();
      await shot(page, `unsubscribed-${size}`);
      expect(watch.problems).toEqual([]);
      await context.close();
    }
  });
});

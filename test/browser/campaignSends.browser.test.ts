/// <reference lib="dom" />
import type { Page } from "playwright-core";
import { signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildUser, defaultPassword } from "../factories";
import { buildRecipient, buildSendCampaign, seedCustomers } from "../factoriesCampaignSends";
import { buildMessageTemplate } from "../factoriesMessaging";
import { buildEmailChannel, buildEmailTemplate } from "../factoriesEmail";
import { systemContextFor } from "../support/deps";
import { recordOutcomes } from "../../src/commands/campaigns/sending/record";

jest.setTimeout(180_000);

/**
 * The send page and the results page as a marketer meets them: both fit a 390 px phone without
 * sideways scrolling and 1366 px, with no console errors; the results chart draws. Screenshots go
 * to /tmp with H2_SHOTS=1.
 */
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

describe("campaign send and results pages", () => {
  const env = useBrowserApp();

  it("shows the steps with a pre-flight, and live results with counts, chart and reasons", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Sunrise Sarees" });
    await seedCustomers(models, business, 30);
    const template = await buildMessageTemplate(models, business, { name: "diwali_offer" });
    const draft = await buildSendCampaign(models, business, {
      name: "Diwali offer to every customer with a long name that wraps",
      templateId: template.id,
    });
    const sent = await buildSendCampaign(models, business, {
      name: "November newsletter",
      templateId: template.id,
      sendState: "completed",
      sendStartedAt: new Date(Date.now() - 600_000),
      sendCompletedAt: new Date(),
    });
    const customers = await models.Customer.findAll({ where: { businessId: business.id } });
    const statuses = [
      "sent",
      "delivered",
      "read",
      "read",
      "failed",
      "unknown",
      "delivered",
    ] as const;
    for (const [i, customer] of customers.slice(0, 21).entries()) {
      const status = statuses[i % statuses.length]!;
      const at = new Date(Date.now() - (600 - i * 20) * 1000);
      await buildRecipient(models, business, sent, {
        customer,
        status,
        sentAt: status === "unknown" ? null : at,
        deliveredAt: ["delivered", "read"].includes(status)
          ? new Date(at.getTime() + 30_000)
          : null,
        readAt: status === "read" ? new Date(at.getTime() + 90_000) : null,
        errorCode: status === "failed" ? "131026" : status === "unknown" ? "lost" : null,
        errorReason:
          status === "failed"
            ? "Message undeliverable: the number is not on WhatsApp"
            : status === "unknown"
              ? "The send was interrupted after its request may have left; not sent again."
              : null,
      });
    }

    for (const viewport of [phone, desktop]) {
      const context = await env.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      const tag = viewport.width;

      await page.goto(`${env.served.baseUrl}/campaigns/${draft.id}/send`);
      expect(await page.textContent("#preflight")).toContain("Recipients after consent");
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H2_SHOTS)
        await page.screenshot({ path: `/tmp/h2-send-${tag}.png`, fullPage: true });

      await page.goto(`${env.served.baseUrl}/campaigns/${sent.id}/results`);
      await page.waitForLoadState("networkidle");
      expect(await page.textContent('[data-count="failed"]')).toBe("3");
      expect(await page.textContent("#reasons-heading")).toBe("Failure reasons");
      const drawn = await page.evaluate(() => {
        const canvas = document.getElementById("delivery-chart") as HTMLCanvasElement | null;
        return canvas !== null && canvas.width > 0;
      });
      expect(drawn).toBe(true);
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H2_SHOTS)
        await page.screenshot({ path: `/tmp/h2-results-${tag}.png`, fullPage: true });
      expect(watch.problems).toEqual([]);
      await context.close();
    }
  });

  it("updates a sending campaign's results in place over server-sent events, and confirms a template delete", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Sunrise Sarees" });
    const template = await buildMessageTemplate(models, business, {
      name: "diwali_offer_with_a_rather_long_template_name",
      status: "approved",
    });
    const emailTemplate = await buildEmailTemplate(models, business, { name: "Spare newsletter" });
    const ctx = await systemContextFor(env.served.deps, business);

    for (const viewport of [phone, desktop]) {
      const tag = viewport.width;
      const campaign = await buildSendCampaign(models, business, {
        name: `Sending now to everyone (${tag})`,
        templateId: template.id,
        sendState: "sending",
        sendStartedAt: new Date(),
      });
      const rows = [];
      for (let i = 0; i < 4; i++) rows.push(await buildRecipient(models, business, campaign));
      const context = await env.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));

      await page.goto(`${env.served.baseUrl}/campaigns/${campaign.id}/results`);
      expect(await page.textContent('[data-count="queued"]')).toBe("4");
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      // A worker records two sends: the tiles and the progress change without a reload.
      for (const row of rows.slice(0, 2)) await row.update({ status: "sending" });
      await recordOutcomes(
        env.served.deps,
        ctx,
        campaign,
        rows.slice(0, 2).map((row) => ({
          row,
          outcome: { ok: true as const, providerMessageId: `wamid.browser-${row.id}` },
        })),
      );
      await page.waitForFunction(
        () => document.querySelector('[data-count="sent"]')?.textContent === "2",
        undefined,
        { timeout: 15_000 },
      );
      expect(await page.textContent('[data-count="queued"]')).toBe("2");
      expect(await page.textContent("[data-progress-pct]")).toBe("50");
      expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H1_SHOTS)
        await page.screenshot({ path: `/tmp/h1-results-live-${tag}.png`, fullPage: true });

      // The template a sending campaign uses: the confirmation says why it cannot go.
      await page.goto(`${env.served.baseUrl}/campaigns/templates/${template.id}/delete`);
      expect(await page.textContent("[data-template-in-use]")).toContain(campaign.name);
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H1_SHOTS)
        await page.screenshot({ path: `/tmp/h1-delete-blocked-${tag}.png`, fullPage: true });
      await page.goto(`${env.served.baseUrl}/email-templates/${emailTemplate.id}/delete`);
      expect(await page.isVisible("button.btn-danger")).toBe(true);
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H1_SHOTS)
        await page.screenshot({ path: `/tmp/h1-delete-confirm-${tag}.png`, fullPage: true });
      expect(watch.problems).toEqual([]);
      await context.close();
    }
  });

  it("shows an e-mail campaign's pre-flight with addresses suppressed after bounces, at both widths", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Sunrise Sarees" });
    await buildEmailChannel(models, business);
    await seedCustomers(models, business, 12);
    const customers = await models.Customer.findAll({ where: { businessId: business.id } });
    for (const customer of customers)
      if (!customer.email) await customer.update({ email: `c${customer.id}@example.com` });
    for (const customer of customers.slice(0, 3)) {
      await models.EmailSuppression.create({
        businessId: business.id,
        email: (customer.email ?? "").toLowerCase(),
        reason: "Bounced: 550 5.1.1 No such user",
        campaignId: null,
        customerId: customer.id,
      });
    }
    const template = await buildEmailTemplate(models, business);
    const campaign = await buildSendCampaign(models, business, {
      name: "December newsletter",
      channel: "email",
      templateId: template.id,
    });
    for (const viewport of [phone, desktop]) {
      const context = await env.browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      await page.goto(`${env.served.baseUrl}/campaigns/${campaign.id}/send`);
      expect(await page.textContent('[data-preflight="suppressed"]')).toBe("3");
      expect(await page.textContent('[data-preflight="reachable"]')).toBe("9");
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.H5_SHOTS)
        await page.screenshot({
          path: `/tmp/h5-send-suppressed-${viewport.width}.png`,
          fullPage: true,
        });
      expect(watch.problems).toEqual([]);
      await context.close();
    }
  });
});

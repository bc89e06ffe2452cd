/// <reference lib="dom" />
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { measureOverflow } from "../support/pageWalk";
import { buildBusiness, buildUser, defaultPassword } from "../factories";
import { buildWebhookDelivery } from "../factoriesWebhooks";

/** Issue 16 item 4's pages as an owner meets them, at 1366 and 390 px. */
describe("webhook settings in a browser", () => {
  const env = useBrowserApp();
  jest.setTimeout(120_000);

  it("adds an endpoint from the menu, shows its secret and delivery log without overflow, and asks before deleting", async () => {
    const { models } = env.served.deps;
    const base = env.served.baseUrl;
    const owner = await buildUser(models, { name: "Lakshmi Narayanan", planCode: "enterprise" });
    const { business } = await buildBusiness(models, { owner, name: "Narayanan Handlooms" });

    const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const watch = watchPage(page, base);
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.getByRole("link", { name: "Webhooks" }).first().click();
    await page.getByRole("heading", { name: "Webhooks", exact: true }).waitFor();
    await page.getByRole("link", { name: "Add endpoint" }).click();
    await page
      .getByLabel("URL that receives the events")
      .fill("https://93.184.216.34/integrations/narayanan-handlooms/crm-customer-events");
    await page.getByLabel("Note (optional)").fill("Accounting system: new and changed customers");
    await page.getByLabel(/customer\.updated/).check();
    await page.screenshot({ path: path.join(screenshotDir, "webhook-form.png"), fullPage: true });
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Endpoint added.").waitFor();
    const endpoint = await models.WebhookEndpoint.findOne({ where: { businessId: business.id } });
    expect(await page.locator("[data-secret]").textContent()).toBe(endpoint!.secret);

    // A log with each kind of line: delivered, retrying, given up, replayed.
    const now = new Date();
    const kinds = [
      { status: "delivered", attempts: 1, responseStatus: 200, durationMs: 143 },
      {
        status: "pending",
        attempts: 3,
        responseStatus: 503,
        durationMs: 10000,
        nextAttemptAt: new Date(now.getTime() + 240_000),
        lastError: "The receiver answered 503.",
      },
      {
        status: "failed",
        attempts: 31,
        responseStatus: null,
        durationMs: 0,
        lastError:
          "Not sent: This URL points at a private, loopback, link-local or reserved address. Webhooks go to public addresses only.",
      },
    ] as const;
    for (const kind of kinds) {
      const { delivery } = await buildWebhookDelivery(env.served.deps, business, endpoint!);
      await delivery.update({ ...kind, lastAttemptAt: now });
    }
    await page.reload();
    expect(await page.locator("[data-delivery]").count()).toBe(3);
    await page.screenshot({
      path: path.join(screenshotDir, "webhook-endpoint.png"),
      fullPage: true,
    });
    expect((await measureOverflow(page)).wide).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    for (const [url, name] of [
      ["/settings/webhooks", "webhooks-390.png"],
      [`/settings/webhooks/${endpoint!.id}`, "webhook-endpoint-390.png"],
      [`/settings/webhooks/${endpoint!.id}/edit`, "webhook-form-390.png"],
    ] as const) {
      await page.goto(base + url);
      const overflow = await measureOverflow(page);
      expect({ url, wide: overflow.wide, scrollWidth: overflow.scrollWidth }).toEqual({
        url,
        wide: [],
        scrollWidth: overflow.clientWidth,
      });
      await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });
    }

    // Each click waits for the page it opens, so the next one acts on that page.
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.waitForURL((u) => u.pathname === `/settings/webhooks/${endpoint!.id}`);
    await page.getByRole("link", { name: "Delete" }).click();
    await page.getByRole("heading", { name: "Delete this endpoint?" }).waitFor();
    await page.screenshot({
      path: path.join(screenshotDir, "webhook-delete-390.png"),
      fullPage: true,
    });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && /\/delete$/.test(r.url())),
      page.getByRole("button", { name: "Delete endpoint" }).click(),
    ]);
    await page.getByText("Deleted the endpoint").waitFor();
    expect(await models.WebhookEndpoint.count({ where: { businessId: business.id } })).toBe(0);
    expect(watch.problems).toEqual([]);
  });
});

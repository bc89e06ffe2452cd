/// <reference lib="dom" />
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { pagesToWalk } from "../support/pageWalk";
import {
  buildBusiness,
  buildCustomer,
  buildInvitation,
  buildTask,
  buildUser,
  buildUserToken,
  defaultPassword,
} from "../factories";
import { seedWalk, uploadForMapping, writeWalkMedia } from "./phoneWidthRecords";
import { phone, walk, writeSummary } from "./phoneWidthWalk";

/**
 * Item 11 of issue 10: at 390 px no page is wider than the screen. Every GET page of the endpoint
 * tables is visited (a page added later is too), signed in as an owner whose business has data
 * (long names on purpose; seeded per area by phoneWidthRecords*.ts) and signed out; a page fails
 * when the document scrolls sideways or any visible element is wider than the viewport or sticks
 * out of it (phoneWidthWalk.ts). Each page is also shot at 390 and 1366 px into var/screenshots/
 * (walk-*.png, public-*.png).
 */
describe("every page at phone width (390 px)", () => {
  const env = useBrowserApp();
  // The walk opens every page (over 80 now) twice; beside another jest worker on two cores it
  // took ~5 minutes.
  jest.setTimeout(600_000);

  it("signed in as an owner with data: nothing is wider than the screen", async () => {
    const base = env.served.baseUrl;
    const { seed, records } = await seedWalk(env.served.deps);
    const { owner } = seed;
    const { targets, missing } = await pagesToWalk(env.served.deps.config, records);
    // A new kind of :param needs a record (phoneWidthRecords*.ts), or the page is not walked.
    expect({ paramsWithoutRecord: missing.filter((p) => p !== "file") }).toEqual({
      paramsWithoutRecord: [],
    });

    targets.push({
      route: "/imports/:importId (mapping)",
      url: await uploadForMapping(env.browser, base, owner),
    });
    await writeWalkMedia(seed);
    const result = await walk(
      env.browser,
      base,
      async (context) => {
        const page = await context.newPage();
        await signInWithForm(page, base, owner.email, defaultPassword);
        await page.waitForURL((url) => !url.pathname.startsWith("/login"));
        await page.close();
      },
      targets,
      "walk",
    );
    expect(result.problems).toEqual([]);
    // The walk really saw the pages the issue names.
    expect(result.visited).toEqual(
      expect.arrayContaining([
        "/",
        "/customers",
        "/customers/:customerId",
        "/tasks",
        "/tasks/:taskId",
        "/tickets",
        "/tickets/board",
        "/tickets/:ticketId",
        "/deals",
        "/deals/list",
        "/deals/:dealId",
        "/leads",
        "/leads/board",
        "/leads/:leadId",
        "/leads/:leadId/convert",
        "/leads/stages",
        "/campaigns",
        "/campaigns/:campaignId",
        "/campaigns/:campaignId/send",
        "/campaigns/:campaignId/results",
        "/social",
        "/social/posts/:postId",
        "/social/calendar",
        "/social/accounts",
        "/forms",
        "/forms/:formId",
        "/analytics",
        "/settings/webhooks",
        "/settings/webhooks/:endpointId",
        "/imports",
        "/imports/:importId",
        "/imports/:importId (mapping)",
        "/tags",
        "/segments",
        "/segments/:segmentId",
        "/notifications",
        "/team",
        "/profile",
        "/profile/sessions",
        "/profile/activity",
        "/admin",
      ]),
    );
    writeSummary("walk", result);
  });

  it("on a phone the top bar is one row and filters fold behind a toggle, with or without JavaScript", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, {
      name: "Kavitha Subramaniam-Raghunathan",
      planCode: "gold",
    });
    const { business } = await buildBusiness(models, {
      owner,
      name: "Subramaniam Silks & Sarees Emporium (Chennai)",
    });
    for (const name of ["Rohan Gupta", "Asha Rao"])
      await buildCustomer(models, business, { name, tags: ["vip"] });
    await buildTask(models, business, { title: "Send the catalogue", priority: "high" });
    const base = env.served.baseUrl;

    for (const javaScript of [true, false]) {
      const context = await env.browser.newContext({
        viewport: phone,
        javaScriptEnabled: javaScript,
      });
      const page = await context.newPage();
      const watch = watchPage(page, base);
      await signInWithForm(page, base, owner.email, defaultPassword);
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      await page.goto(base + "/customers");

      // One row: the switcher, the bell and the user menu side by side, inside the screen.
      const boxes = await Promise.all(
        [
          '[data-slot="business-switcher"] .dropdown-toggle',
          '[data-slot="notifications"]',
          '[data-slot="user-menu"]',
        ].map(async (selector) => (await page.locator(selector).boundingBox())!),
      );
      for (const box of boxes) {
        expect(box.y).toBeLessThan(boxes[0]!.y + boxes[0]!.height);
        expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
      }
      expect((await page.locator(".app-topbar").boundingBox())!.height).toBeLessThan(70);

      // The search and the first customers fill the first screen; the other filters wait.
      expect(await page.getByLabel("Search").isVisible()).toBe(true);
      expect(await page.locator("#field-tags").isVisible()).toBe(false);
      const firstRow = (await page.locator("#customer-results tbody tr").first().boundingBox())!;
      expect(firstRow.y + firstRow.height).toBeLessThan(phone.height);
      await page.screenshot({
        path: path.join(screenshotDir, `phone-customers-folded-js-${javaScript}.png`),
      });
      await page.getByText("Filters", { exact: true }).click();
      expect(await page.locator("#field-tags").isVisible()).toBe(true);

      // The owner, tag names and segments still load when asked: by htmx, or through the link.
      await page.getByText("Owner, tags and segments").click();
      if (!javaScript)
        await page.getByRole("link", { name: "Show owners, tag names and segments" }).click();
      await page.locator("#field-ownerId").waitFor();
      // Unfolded when a filter is set.
      await page.goto(base + "/customers?tags=vip");
      expect(await page.locator("#field-tags").isVisible()).toBe(true);

      // Searching from the folded form: Enter submits (htmx answers live while typing).
      await page.goto(base + "/customers");
      await page.getByLabel("Search").fill("rohan");
      await page.getByLabel("Search").press("Enter");
      await page.waitForURL(/q=rohan/);
      await page.waitForFunction(
        () => document.querySelectorAll("#customer-results tbody a").length === 1,
      );

      // Tasks: folded without a filter, unfolded with one.
      await page.goto(base + "/tasks");
      expect(await page.locator("#filter-priority").isVisible()).toBe(false);
      await page.getByText("Filters", { exact: true }).click();
      expect(await page.locator("#filter-priority").isVisible()).toBe(true);
      await page.goto(base + "/tasks?priority=high");
      expect(await page.locator("#filter-priority").isVisible()).toBe(true);
      expect(watch.problems).toEqual([]);
      await context.close();
    }

    // From 768 px the filters show, with no toggle.
    const wide = await env.browser.newPage({ viewport: { width: 768, height: 900 } });
    await signInWithForm(wide, base, owner.email, defaultPassword);
    await wide.waitForURL((url) => !url.pathname.startsWith("/login"));
    await wide.goto(base + "/customers");
    expect(await wide.locator("#field-tags").isVisible()).toBe(true);
    expect(await wide.getByText("Filters", { exact: true }).isVisible()).toBe(false);
    await wide.close();
  });

  it("signed out: the pages anyone may open fit the screen", async () => {
    const { targets } = await pagesToWalk(
      env.served.deps.config,
      {},
      (route) => route.endpoint.permission === "anyone" && route.params.length === 0,
    );
    // The forms e-mailed links open, with a valid token (without one they are error pages).
    const { models } = env.served.deps;
    const { token: invitation } = await buildInvitation(models, {
      email: "a.very.long.invitee.address@longcompanyname.example.test",
    });
    const { token: reset } = await buildUserToken(models, { purpose: "password_reset" });
    const { token: activation } = await buildUserToken(models, {
      userId: (await buildUser(models, { activatedAt: null })).id,
    });
    targets.push(
      { route: "/invitations/accept?token", url: `/invitations/accept?token=${invitation}` },
      { route: "/reset-password?token", url: `/reset-password?token=${reset}` },
      { route: "/activate?token", url: `/activate?token=${activation}` },
    );
    const result = await walk(env.browser, env.served.baseUrl, async () => {}, targets, "public");
    expect(result.problems).toEqual([]);
    expect(result.visited).toEqual(
      expect.arrayContaining([
        "/",
        "/login",
        "/register",
        "/invitations/accept?token",
        "/reset-password?token",
        "/activate?token",
      ]),
    );
    writeSummary("public", result);
  });
});

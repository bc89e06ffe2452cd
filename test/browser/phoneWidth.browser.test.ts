/// <reference lib="dom" />
import type { Browser, BrowserContext } from "playwright-core";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { sampleCsv } from "../support/imports";
import {
  measureOverflow,
  pagesToWalk,
  probe,
  shotName,
  type RecordFactory,
  type WalkTarget,
} from "../support/pageWalk";
import {
  buildActivityLog,
  buildBusiness,
  buildCustomer,
  buildImport,
  buildInvitation,
  buildMember,
  buildNotification,
  buildSegment,
  buildSession,
  buildTask,
  buildUser,
  buildUserToken,
  defaultPassword,
} from "../factories";
import { buildTicket } from "../factoriesTickets";
import { buildDeal, buildPipeline } from "../factoriesDeals";
import { buildLead } from "../factoriesLeads";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../factoriesWebhooks";
import type { Customer } from "../../src/models";
import { listOutbox, outboxDir } from "../../src/integrations/mail/outbox";

/**
 * Item 11 of issue 10: at 390 px no page is wider than the screen. Every GET page of the endpoint
 * tables is visited (a page added later is too), signed in as an owner whose business has data
 * (long names on purpose) and signed out; a page fails when the document scrolls sideways or any
 * visible element is wider than the viewport or sticks out of it. Each page is also shot at 390
 * and 1366 px into var/screenshots/ (walk-*.png, public-*.png).
 */
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };

/** The pages checked and those set aside, beside the screenshots (var/screenshots/<prefix>-pages.txt). */
function writeSummary(prefix: string, result: WalkResult): void {
  const lines = [
    `Checked at 390 px (and shot at 390 and 1366 px):`,
    ...result.visited.map((route) => `  ${route}`),
    `Set aside (not a whole page):`,
    ...result.skipped.map((reason) => `  ${reason}`),
  ];
  writeFileSync(path.join(screenshotDir, `${prefix}-pages.txt`), lines.join("\n") + "\n");
}

interface WalkResult {
  visited: string[];
  skipped: string[];
  problems: string[];
}

async function walk(
  browser: Browser,
  baseUrl: string,
  prepare: (context: BrowserContext) => Promise<void>,
  targets: WalkTarget[],
  prefix: string,
): Promise<WalkResult> {
  const result: WalkResult = { visited: [], skipped: [], problems: [] };
  for (const viewport of [phone, desktop]) {
    const context = await browser.newContext({ viewport });
    await prepare(context);
    const page = await context.newPage();
    const watch = watchPage(page, baseUrl);
    for (const target of targets) {
      const seen = await probe(context, baseUrl + target.url);
      if (!seen.page) {
        if (viewport === phone) result.skipped.push(`${target.route}: ${seen.reason}`);
        continue;
      }
      const before = watch.problems.length;
      const response = await page.goto(baseUrl + target.url);
      await page.waitForLoadState("networkidle");
      const status = response?.status() ?? 0;
      if (status >= 400) {
        // A page answering 4xx on purpose (a link's token missing): its own status is no problem.
        const own = [
          `HTTP ${status}: ${response?.url()}`,
          `console error: Failed to load resource: the server responded with a status of ${status} (`,
        ];
        const fresh = watch.problems.splice(before);
        for (const expected of own) {
          const at = fresh.findIndex((p) => p.startsWith(expected));
          if (at >= 0) fresh.splice(at, 1);
        }
        watch.problems.push(...fresh);
      }
      if (viewport === phone) {
        result.visited.push(target.route);
        const overflow = await measureOverflow(page);
        if (overflow.scrollWidth > overflow.clientWidth || overflow.wide.length > 0)
          result.problems.push(
            `${target.url} is ${overflow.scrollWidth} px wide: ${overflow.wide.join("; ")}`,
          );
      }
      await page.screenshot({ path: shotName(prefix, target, viewport.width), fullPage: true });
    }
    result.problems.push(...watch.problems);
    await context.close();
  }
  return result;
}

describe("every page at phone width (390 px)", () => {
  const env = useBrowserApp();
  jest.setTimeout(240_000);

  it("signed in as an owner with data: nothing is wider than the screen", async () => {
    const { models } = env.served.deps;
    const base = env.served.baseUrl;
    const owner = await buildUser(models, {
      name: "Kavitha Subramaniam-Raghunathan",
      email: `kavitha.subramaniam.raghunathan-${Date.now()}@example.test`,
      planCode: "enterprise",
      isPlatformAdmin: true,
    });
    const { business } = await buildBusiness(models, {
      owner,
      name: "Subramaniam Silks & Sarees Emporium (Chennai)",
    });
    await buildBusiness(models, { owner, name: "Raghunathan Textiles Wholesale" });
    const { user: mate } = await buildMember(models, business, "sales");
    const customers: Customer[] = [];
    for (let i = 0; i < 4; i++)
      customers.push(
        await buildCustomer(models, business, {
          name: `Venkataraghavan Krishnamoorthy ${i}`,
          email: `venkataraghavan.krishnamoorthy.${i}@longcompanyname.example.test`,
          tags: ["wholesale-buyers-chennai", "vip", "festival-season-2026"],
          ownerId: i % 2 ? mate.id : owner.id,
        }),
      );
    const task = await buildTask(models, business, {
      title: "Call back about the Deepavali bulk order and the revised quotation",
      customerId: customers[0]!.id,
      priority: "urgent",
      dueAt: new Date(Date.now() - 86_400_000),
    });
    await buildTask(models, business, { title: "Send the catalogue", priority: "low" });
    const segment = await buildSegment(models, {
      businessId: business.id,
      name: "Wholesale buyers in Chennai who ordered before Deepavali",
      filters: JSON.stringify({ tags: ["wholesale-buyers-chennai"] }),
    });
    const done = await buildImport(models, {
      businessId: business.id,
      fileName: "customers-exported-from-the-old-billing-software-2026-final-v2.csv",
      totalRows: 1200,
      processedRows: 1200,
      createdCount: 1100,
      updatedCount: 50,
      skippedCount: 30,
      failedCount: 20,
      startedAt: new Date(),
      finishedAt: new Date(),
    });
    await buildInvitation(models, {
      businessId: business.id,
      email: "a.very.long.invitee.address@longcompanyname.example.test",
    });
    await buildNotification(models, {
      businessId: business.id,
      userId: owner.id,
      title: `Task due: ${task.title}`,
      link: `/tasks/${task.id}`,
    });
    await buildSession(models, {
      userId: owner.id,
      kind: "api",
      userAgent: "curl/8.5.0",
      ip: "2001:db8:85a3:0000:0000:8a2e:0370:7334",
    });
    await buildActivityLog(models, {
      userId: owner.id,
      action: "auth.sign_in",
      ip: "2001:db8:85a3:0000:0000:8a2e:0370:7334",
      userAgent:
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    });

    // A personal API token with a long name and every scope (its revoke confirmation).
    const apiToken = await models.PersonalToken.create({
      businessId: business.id,
      userId: owner.id,
      name: "Nightly sync with the Subramaniam warehouse inventory spreadsheet",
      tokenHint: "crm_pat_AbCd",
      tokenHash: "0".repeat(63) + "1",
      scopes:
        "customers:read customers:write imports:read imports:write segments:read segments:write tasks:read tasks:write",
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
    });

    // A ticket with a long subject whose first response is overdue, for its page.
    const ticket = await buildTicket(models, business, {
      subject: "The Deepavali bulk order arrived with twelve sarees missing from the second carton",
      customerId: customers[0]!.id,
      priority: "urgent",
      firstResponseDueAt: new Date(Date.now() - 3_600_000),
    });

    // A webhook endpoint with a long URL, and a delivery that gave up, for its log and replay page.
    const hook = await buildWebhookEndpoint(models, business, {
      url: "https://integrations.subramaniam-silks-and-sarees-emporium.example.com/webhooks/crm/customer-events?source=crm&version=2026-12",
      events: ["customer.created", "customer.updated", "customer.deleted", "ticket.created"],
    });
    const { delivery: hookDelivery } = await buildWebhookDelivery(env.served.deps, business, hook);
    await hookDelivery.update({
      status: "failed",
      attempts: 31,
      responseStatus: 503,
      durationMs: 10000,
      lastAttemptAt: new Date(),
      lastError: "The receiver answered 503.",
    });

    // A lead with long names and every detail filled, for the list, the board and its page.
    const lead = await buildLead(models, business, {
      firstName: "Venkatalakshmi",
      lastName: "Subramaniam-Raghavachari",
      company: "Subramaniam Silks and Sarees Emporium Private Limited",
      jobTitle: "Head of Procurement and Vendor Partnerships",
      email: "venkatalakshmi.subramaniam-raghavachari@subramaniam-silks.example.com",
      nextAction: "Send the festive season catalogue with the revised wholesale price list",
      nextActionOn: "2026-12-24",
      score: 82,
      stage: "qualified",
      interestedProducts: JSON.stringify(["Wholesale catalogue", "Loyalty programme"]),
      utmSource: "newsletter",
      landingPage: "https://subramaniam-silks.example.com/offers/festive-season-wholesale?ref=mail",
    });

    // Deals with long titles and a customer, in a stage of the default pipeline (board, list, page).
    const { pipeline, stages: dealStages } = await buildPipeline(models, business);
    const deal = await buildDeal(models, business, {
      title: "Annual maintenance contract for the Subramaniam silks showrooms across Tamil Nadu",
      customerId: customers[0]!.id,
      amountMinor: 1_25_00_000_00,
    });
    await buildDeal(models, business, {
      title: "Festive season display racks",
      stageId: dealStages[1]!.id,
      lastActivityAt: new Date(Date.now() - 40 * 86_400_000),
    });

    const records: Record<string, RecordFactory> = {
      dealId: async () => String(deal.id),
      pipelineId: async () => String(pipeline.id),
      stageId: async () => String(dealStages[1]!.id),
      leadId: async () => String(lead.id),
      endpointId: async () => String(hook.id),
      deliveryId: async () => String(hookDelivery.id),
      ticketId: async () => String(ticket.id),
      tokenId: async () => String(apiToken.id),
      taskId: async () => String(task.id),
      customerId: async () => String(customers[0]!.id),
      segmentId: async () => String(segment.id),
      importId: async () => String(done.id),
      // The development outbox (mounted outside production): a message of our own.
      id: async () => {
        const { deps } = env.served;
        await deps.mailer.send({
          to: owner.email,
          template: "password-changed",
          data: { name: owner.name, time: "today" },
        });
        const mail = await listOutbox(outboxDir(deps.config.varDir), { limit: 50 });
        return mail.find((entry) => entry.to === owner.email)?.id ?? "none";
      },
    };
    const { targets, missing } = await pagesToWalk(env.served.deps.config, records);
    // A new kind of :param needs a record here (or the page is not walked).
    expect({ paramsWithoutRecord: missing.filter((p) => p !== "file") }).toEqual({
      paramsWithoutRecord: [],
    });

    // A real upload gives an import waiting for its columns: the mapping page with its preview.
    const uploader = await env.browser.newContext({ viewport: desktop });
    const setup = await uploader.newPage();
    await signInWithForm(setup, base, owner.email, defaultPassword);
    await setup.waitForURL((url) => !url.pathname.startsWith("/login"));
    await setup.goto(base + "/imports/new");
    await setup.setInputFiles("#field-file", sampleCsv);
    await setup.getByRole("button", { name: "Upload" }).click();
    await setup.waitForURL(/\/imports\/\d+$/);
    for (let i = 0; i < 100 && !(await setup.getByText("Start import").count()); i++) {
      await setup.waitForTimeout(100);
      await setup.reload();
    }
    const mapping = new URL(setup.url()).pathname;
    await uploader.close();
    targets.push({ route: "/imports/:importId (mapping)", url: mapping });

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

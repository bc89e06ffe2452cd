/// <reference lib="dom" />
import path from "node:path";
import type { Page } from "playwright-core";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildUser,
  defaultPassword,
} from "../factories";
import { buildTicket, buildTicketMessage } from "../factoriesTickets";

/** Whether anything sticks out sideways (the page is wider than the screen). */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("tickets in a browser", () => {
  const env = useBrowserApp();
  jest.setTimeout(120_000);

  it("works the list, the board and a ticket at 1366 and 390 px without JavaScript errors", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { name: "Asha Rao", planCode: "enterprise" });
    const { business } = await buildBusiness(models, {
      owner,
      name: "Subramaniam Silks & Sarees Emporium (Chennai)",
      timeZone: "Asia/Kolkata",
    });
    const agent = (await buildMember(models, business, "support")).user;
    const customer = await buildCustomer(models, business, {
      name: "Venkataraghavan Krishnamoorthy",
      email: "venkataraghavan.krishnamoorthy@longcompanyname.example.test",
    });
    const now = Date.now();
    const ticket = await buildTicket(models, business, {
      subject: "The Deepavali bulk order arrived with twelve sarees missing from the second carton",
      customerId: customer.id,
      priority: "urgent",
      category: "Delivery",
      channel: "email",
      firstResponseDueAt: new Date(now - 3_600_000),
      resolutionDueAt: new Date(now + 3 * 3_600_000),
    });
    await buildTicketMessage(models, ticket, {
      kind: "inbound",
      authorId: null,
      fromEmail: "venkataraghavan.krishnamoorthy@longcompanyname.example.test",
      body: "Carton 2 of 3 had only 38 of the 50 sarees on the packing list. Please send the rest before Friday.",
    });
    await buildTicket(models, business, {
      subject: "GST invoice shows the old address",
      status: "in_progress",
      priority: "normal",
      assigneeId: agent.id,
    });
    await buildTicket(models, business, {
      subject: "Asked for the colour chart",
      status: "waiting_on_customer",
      priority: "low",
    });

    for (const viewport of [
      { width: 1366, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const context = await env.browser.newContext({ viewport, javaScriptEnabled: true });
      const page = await context.newPage();
      const watch = watchPage(page, env.served.baseUrl);
      await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      const shot = (name: string) =>
        page.screenshot({
          path: path.join(screenshotDir, `tickets-${name}-${viewport.width}.png`),
          fullPage: true,
        });

      await page.goto(`${env.served.baseUrl}/tickets`);
      await page.getByRole("heading", { name: "Tickets", exact: true }).waitFor();
      expect(await page.locator("tr.table-danger").textContent()).toContain(
        "First response overdue",
      );
      await shot("list");
      expect(await overflows(page)).toBe(false);

      await page.goto(`${env.served.baseUrl}/tickets/board`);
      await page.getByRole("heading", { name: "Ticket board" }).waitFor();
      await shot("board");
      expect(await overflows(page)).toBe(false);

      await page.goto(`${env.served.baseUrl}/tickets/${ticket.id}`);
      await page.getByRole("heading", { name: "Conversation" }).waitFor();
      await shot("ticket");
      expect(await overflows(page)).toBe(false);
      expect(watch.problems).toEqual([]);
      await context.close();
    }

    // Moving a card on the board is a form post: it works with JavaScript off.
    const context = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${env.served.baseUrl}/tickets/board`);
    const card = page.locator(`article[data-ticket-id="${ticket.id}"]`);
    await card.getByLabel(/Move TKT-/).selectOption("in_progress");
    await card.getByRole("button", { name: "Move" }).click();
    await page.getByText(/is now in progress/).waitFor();
    expect(
      await page
        .locator(`[data-column="in_progress"] article[data-ticket-id="${ticket.id}"]`)
        .count(),
    ).toBe(1);
    await page.screenshot({
      path: path.join(screenshotDir, "tickets-board-moved-390.png"),
      fullPage: true,
    });
    await context.close();
  });
});

import { dragCardTo, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { measureOverflow } from "../support/pageWalk";
import { buildBusiness, buildUser, defaultPassword } from "../factories";
import { buildDeal, buildPipeline } from "../factoriesDeals";
import { buildLead } from "../factoriesLeads";
import { businessLeadStages } from "../../src/commands/leads/stages";

const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 900 };

/**
 * The leads' second part in a real browser: its pages fit a phone, and a card dragged on the deals
 * and leads boards (SortableJS + public/js/board.js) moves through the same form the board posts
 * without JavaScript.
 */
describe("leads and boards in a browser", () => {
  const env = useBrowserApp();
  jest.setTimeout(180_000);

  it("fits the lead pages at 390 px and moves cards by drag and drop", async () => {
    const { models } = env.served.deps;
    const base = env.served.baseUrl;
    const owner = await buildUser(models, {
      name: "Kavitha Subramaniam-Raghunathan",
      email: `kavitha-leads-${Date.now()}@example.test`,
      planCode: "enterprise",
    });
    const { business } = await buildBusiness(models, { owner, name: "Subramaniam Silks" });
    const lead = await buildLead(models, business, {
      firstName: "Venkatalakshmi",
      lastName: "Subramaniam-Raghavachari",
      company: "Subramaniam Silks and Sarees Emporium Private Limited",
    });
    await models.LeadNote.create({
      businessId: business.id,
      leadId: lead.id,
      authorId: owner.id,
      body: "Asked for the festive season catalogue and the revised wholesale price list before the partners' meeting",
    });
    await businessLeadStages({ models }, business.id);
    await models.LeadStage.create({
      businessId: business.id,
      code: "cbrowser",
      name: "Showroom visit booked with the procurement team",
      position: 3,
      kind: "open",
    });

    const phoneContext = await env.browser.newContext({ viewport: phone });
    const page = await phoneContext.newPage();
    const watch = watchPage(page, base);
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    const pages = [
      "/leads",
      `/leads/${lead.id}`,
      `/leads/${lead.id}/convert`,
      "/leads/stages",
      "/leads/stages/cbrowser/remove",
      `/leads/nurture?leadIds=${lead.id}`,
      "/leads/board",
    ];
    const problems: string[] = [];
    for (const url of pages) {
      await page.goto(base + url);
      const overflow = await measureOverflow(page);
      if (overflow.scrollWidth > overflow.clientWidth || overflow.wide.length > 0)
        problems.push(`${url} is ${overflow.scrollWidth} px wide: ${overflow.wide.join("; ")}`);
    }
    // The nurture confirmation, reached through its form.
    await page.goto(base + `/leads/nurture?leadIds=${lead.id}`);
    await page.getByRole("button", { name: "Review" }).click();
    await page.getByRole("heading", { name: /Create 3 task\(s\) for 1 lead\(s\)\?/ }).waitFor();
    const confirm = await measureOverflow(page);
    if (confirm.scrollWidth > confirm.clientWidth || confirm.wide.length > 0)
      problems.push(`nurture confirmation is ${confirm.scrollWidth} px wide`);
    expect(problems).toEqual([]);
    await phoneContext.close();

    // Drag and drop on a wide screen: a deal to the next column, then a lead.
    const { stages } = await buildPipeline(models, business);
    const deal = await buildDeal(models, business, { title: "Festive display racks" });
    const context = await env.browser.newContext({ viewport: desktop });
    const board = await context.newPage();
    const boardWatch = watchPage(board, base);
    await signInWithForm(board, base, owner.email, defaultPassword);
    await board.waitForURL((url) => !url.pathname.startsWith("/login"));
    await board.goto(base + "/deals");
    await board.locator(".board-draggable").first().waitFor();
    const card = board.locator(`[data-deal-id="${deal.id}"]`);
    const target = board.locator(`[data-move-value="${stages[1]!.id}"] [data-board-cards]`);
    await dragCardTo(board, card.locator(".small").first(), target);
    await board.getByText(/is now in/).waitFor();
    expect((await models.Deal.findByPk(deal.id))?.stageId).toBe(stages[1]!.id);

    await board.goto(base + "/leads/board");
    await board.locator(".board-draggable").first().waitFor();
    await dragCardTo(
      board,
      board.locator(`[data-lead-id="${lead.id}"] .small`).first(),
      board.locator('[data-move-value="contacted"] [data-board-cards]'),
    );
    await board.getByText(/is now in Contacted/).waitFor();
    expect((await models.Lead.findByPk(lead.id))?.stage).toBe("contacted");
    expect([...watch.problems, ...boardWatch.problems]).toEqual([]);
    await context.close();
  });
});

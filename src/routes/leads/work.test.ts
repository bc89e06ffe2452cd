import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildCustomer, buildMember } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

// 06:00 UTC is 11:30 in Kolkata (the test business's zone).
const clock = new FakeClock("2026-12-01T06:00:00Z");

/** The attribute values of every element of `html` matching a data attribute. */
const attributeValues = (html: string, attribute: string) =>
  [...html.matchAll(new RegExp(`${attribute}="([^"]*)"`, "g"))].map((m) => m[1]);

describe("lead page work: notes, tasks, conversion, nurture, stages, drag and drop", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(() => t.close());

  it("adds, edits and (after a confirmation) deletes notes, and adds tasks that show in /tasks", async () => {
    const lead = await buildLead(t.deps.models, business, { firstName: "Priya" });
    const page = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(page.text).toContain("Nothing recorded yet. Add a note or a follow-up task above.");
    const csrf = csrfFrom(page);
    await agent
      .post(`/leads/${lead.id}/notes`)
      .type("form")
      .send({ _csrf: csrf, body: "   " })
      .expect(302);
    expect(await t.deps.models.LeadNote.count({ where: { leadId: lead.id } })).toBe(0);
    await agent
      .post(`/leads/${lead.id}/notes`)
      .type("form")
      .send({ _csrf: csrf, body: "Wants pricing for 20 seats" })
      .expect(302);
    const [note] = await t.deps.models.LeadNote.findAll({ where: { leadId: lead.id } });
    await agent
      .post(`/leads/${lead.id}/notes/${note!.id}`)
      .type("form")
      .send({ _csrf: csrf, body: "Wants pricing for 25 seats" })
      .expect(302);
    await agent
      .post(`/leads/${lead.id}/tasks`)
      .type("form")
      .send({ _csrf: csrf, title: "Send the price list", dueAt: "2026-12-03T15:00" })
      .expect(302);
    const task = await t.deps.models.Task.findOne({ where: { leadId: lead.id } });
    // 15:00 in Kolkata is 09:30 UTC; the lead's owner gets it.
    expect(task).toMatchObject({ assigneeId: owner.id, title: "Send the price list" });
    expect(task!.dueAt?.toISOString()).toBe("2026-12-03T09:30:00.000Z");
    const shown = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(shown.text).toContain("Wants pricing for 25 seats");
    expect(shown.text).toContain(`href="/tasks/${task!.id}"`);
    expect(shown.text.indexOf("Send the price list")).toBeLessThan(
      shown.text.indexOf("Wants pricing for 25 seats"),
    );
    const tasks = await agent.get("/tasks").expect(200);
    expect(tasks.text).toContain("Send the price list");

    const confirm = await agent.get(`/leads/${lead.id}/notes/${note!.id}/delete`).expect(200);
    expect(confirm.text).toContain("Delete this note?");
    await agent
      .post(`/leads/${lead.id}/notes/${note!.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) })
      .expect(302);
    expect(await t.deps.models.LeadNote.count({ where: { leadId: lead.id } })).toBe(0);
    // Another lead's path never reaches this note.
    const other = await buildLead(t.deps.models, business);
    await agent.get(`/leads/${other.id}/notes/${note!.id}/delete`).expect(404);
  });

  it("converts a lead from its page once, then shows the links and refuses again", async () => {
    const lead = await buildLead(t.deps.models, business, {
      firstName: "Rahul",
      lastName: "Goyal",
      company: "RetailWorks",
      phoneE164: "+919811022345",
    });
    const form = await agent.get(`/leads/${lead.id}/convert`).expect(200);
    expect(form.text).toContain('data-match="new"');
    const bad = await agent
      .post(`/leads/${lead.id}/convert`)
      .type("form")
      .send({ _csrf: csrfFrom(form), title: "Rollout", amount: "12abc" })
      .expect(422);
    expect(bad.text).toContain("Enter an amount such as 150000 or 1,50,000.50.");
    expect(bad.text).toContain('value="Rollout"');
    const done = await agent
      .post(`/leads/${lead.id}/convert`)
      .type("form")
      .send({ _csrf: csrfFrom(form), title: "Rollout", amount: "1,50,000.50", currency: "inr" })
      .expect(302);
    const deal = await t.deps.models.Deal.findOne({ where: { leadId: lead.id } });
    expect(deal).toMatchObject({ amountMinor: 15_000_050, currency: "INR", title: "Rollout" });
    expect(done.headers.location).toBe(`/deals/${deal!.id}`);
    const page = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(page.text).toContain("data-converted");
    expect(page.text).toContain(`href="/deals/${deal!.id}"`);
    expect(page.text).toContain(`href="/customers/${deal!.customerId}"`);
    expect(page.text).not.toContain(`href="/leads/${lead.id}/convert"`);
    await agent.get(`/leads/${lead.id}/convert`).expect(302);
    await agent
      .post(`/leads/${lead.id}/convert`)
      .type("form")
      .send({ _csrf: csrfFrom(form), title: "Again" })
      .expect(409);
    expect(await t.deps.models.Deal.count({ where: { leadId: lead.id } })).toBe(1);
    // The customer page lists the customer's deals, with a link to add another.
    const customer = await agent.get(`/customers/${deal!.customerId}`).expect(200);
    expect(customer.text).toContain(`href="/deals/${deal!.id}"`);
    expect(customer.text).toContain(`href="/deals/new?customerId=${deal!.customerId}"`);
    const newDeal = await agent.get(`/deals/new?customerId=${deal!.customerId}`).expect(200);
    expect(newDeal.text).toMatch(new RegExp(`value="${deal!.customerId}" selected`));
  });

  it("plans a nurture sequence: ticked leads → sequence → confirmation → tasks, once per run", async () => {
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const a = await buildLead(t.deps.models, business, { ownerId: seller.id });
    const b = await buildLead(t.deps.models, business, { ownerId: null });
    const list = await agent.get("/leads").expect(200);
    expect(list.text).toContain(`name="leadIds" value="${a.id}" form="nurture-form"`);
    await agent.get("/leads/nurture").expect(302);
    const sequence = await agent.get(`/leads/nurture?leadIds=${a.id}&leadIds=${b.id}`).expect(200);
    expect(sequence.text).toContain('value="Send a follow-up e-mail"');
    const csrf = csrfFrom(sequence);
    const steps = {
      stepDay: ["0", "2", "", "5"],
      stepKind: ["call", "email", "call", "call"],
      stepTitle: ["Call", "Send the brochure", "", "Follow-up call"],
    };
    const bad = await agent
      .post("/leads/nurture")
      .type("form")
      .send({ _csrf: csrf, leadIds: [a.id, b.id], ...steps, stepDay: ["0", "x", "", "5"] })
      .expect(422);
    expect(bad.text).toContain("Keep 1 to 8 steps");
    const review = await agent
      .post("/leads/nurture")
      .type("form")
      .send({ _csrf: csrf, leadIds: [a.id, b.id], ...steps })
      .expect(200);
    expect(review.text).toContain("Create 6 task(s) for 2 lead(s)?");
    expect(review.text).toContain(`${seller.name}: 3 task(s)`);
    expect(review.text).toContain(`${owner.name}: 3 task(s)`);
    const runKey = /name="runKey" value="([0-9a-f]{16})"/.exec(review.text)![1];
    const confirm = {
      _csrf: csrfFrom(review),
      runKey,
      confirm: "yes",
      leadIds: [a.id, b.id],
      stepDay: ["0", "2", "5"],
      stepKind: ["call", "email", "call"],
      stepTitle: ["Call", "Send the brochure", "Follow-up call"],
    };
    const created = await agent.post("/leads/nurture").type("form").send(confirm).expect(302);
    expect(created.headers.location).toBe("/tasks");
    await agent.post("/leads/nurture").type("form").send(confirm).expect(302);
    const tasks = await t.deps.models.Task.findAll({
      where: { leadId: [a.id, b.id] },
      order: [["id", "ASC"]],
    });
    expect(tasks).toHaveLength(6);
    expect(tasks.filter((task) => task.assigneeId === seller.id)).toHaveLength(3);
    // Day 2 at 10:00 in Kolkata (04:30 UTC).
    expect(tasks[1]!.dueAt?.toISOString()).toBe("2026-12-03T04:30:00.000Z");
  });

  it("renames, adds, reorders and removes lead stages; the list, board and forms follow", async () => {
    const page = await agent.get("/leads/stages").expect(200);
    const csrf = csrfFrom(page);
    await agent
      .post("/leads/stages/new")
      .type("form")
      .send({ _csrf: csrf, name: "Fresh" })
      .expect(302);
    await agent
      .post("/leads/stages")
      .type("form")
      .send({ _csrf: csrf, name: "Demo booked" })
      .expect(302);
    await agent
      .post("/leads/stages")
      .type("form")
      .send({ _csrf: csrf, name: "demo booked" })
      .expect(302);
    const stages = await t.deps.models.LeadStage.findAll({
      where: { businessId: business.id },
      order: [["position", "ASC"]],
    });
    expect(stages.map((s) => s.name)).toEqual([
      "Fresh",
      "Contacted",
      "Qualified",
      "Demo booked",
      "Lost",
      "Converted",
    ]);
    const demo = stages[3]!;
    await agent
      .post(`/leads/stages/${demo.code}/move`)
      .type("form")
      .send({ _csrf: csrf, direction: "up" })
      .expect(302);
    const lead = await buildLead(t.deps.models, business, { stage: demo.code as never });
    const board = await agent.get("/leads/board").expect(200);
    expect(board.text).toContain(`data-move-value="${demo.code}"`);
    expect(board.text).toContain(">Fresh<");
    const filtered = await agent.get(`/leads?stage=${demo.code}`).expect(200);
    expect(filtered.text).toContain(`data-lead-id="${lead.id}"`);
    const edit = await agent.get(`/leads/${lead.id}/edit`).expect(200);
    expect(edit.text).toContain(`value="${demo.code}" selected`);
    expect(edit.text).not.toContain('value="converted"');

    const confirm = await agent.get(`/leads/stages/${demo.code}/remove`).expect(200);
    expect(confirm.text).toContain("1 lead(s) are in this stage");
    const refused = await agent
      .post(`/leads/stages/${demo.code}/remove`)
      .type("form")
      .send({ _csrf: csrf })
      .expect(302);
    expect(refused.headers.location).toBe(`/leads/stages/${demo.code}/remove`);
    expect(await t.deps.models.LeadStage.count({ where: { code: demo.code } })).toBe(1);
    await agent.get("/leads/stages/lost/remove").expect(302);
    await agent
      .post(`/leads/stages/${demo.code}/remove`)
      .type("form")
      .send({ _csrf: csrf, moveTo: "qualified" })
      .expect(302);
    expect((await t.deps.models.Lead.findByPk(lead.id))?.stage).toBe("qualified");
    await agent.get(`/leads?stage=${demo.code}`).expect(422);
    // Sales work leads but do not set up stages.
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const sales = await signedIn(t, seller.email);
    await sales.get("/leads/stages").expect(403);
  });

  it("drag and drop posts what the boards' no-script move forms post (the endpoint contract)", async () => {
    const lead = await buildLead(t.deps.models, business, { stage: "new" });
    const board = await agent.get("/leads/board").expect(200);
    expect(board.text).toContain('src="/js/board.js"');
    expect(board.text).toContain('src="/vendor/sortable/Sortable.min.js"');
    // Every column says where a drop moves a card; Converted takes none.
    const values = attributeValues(board.text, "data-move-value");
    expect(values).toEqual(expect.arrayContaining(["new", "contacted", "qualified", "lost"]));
    expect(board.text).toMatch(/data-move-value="converted" data-accepts="false"/);
    // Each card's form: POST /leads/:id/stage with _csrf, from=board and the field board.js sets.
    const form = new RegExp(
      `<form method="post" action="/leads/${lead.id}/stage"[^>]*data-move-form>[\\s\\S]*?name="from" value="board"[\\s\\S]*?name="stage" data-move-field`,
    );
    expect(board.text).toMatch(form);
    const moved = await agent
      .post(`/leads/${lead.id}/stage`)
      .type("form")
      .send({ _csrf: csrfFrom(board), from: "board", stage: "contacted" })
      .expect(302);
    expect(moved.headers.location).toBe("/leads/board");
    expect((await t.deps.models.Lead.findByPk(lead.id))?.stage).toBe("contacted");
    // A drop on Converted (or a stage that does not exist) is refused with the reason.
    for (const stage of ["converted", "nope"])
      await agent
        .post(`/leads/${lead.id}/stage`)
        .type("form")
        .send({ _csrf: csrfFrom(board), from: "board", stage })
        .expect(302);
    expect((await t.deps.models.Lead.findByPk(lead.id))?.stage).toBe("contacted");

    const { stages } = await buildPipeline(t.deps.models, business);
    const deal = await buildDeal(t.deps.models, business, { stageId: stages[0]!.id });
    const deals = await agent.get("/deals").expect(200);
    expect(deals.text).toContain('src="/js/board.js"');
    expect(attributeValues(deals.text, "data-move-value")).toEqual(stages.map((s) => String(s.id)));
    expect(deals.text).toMatch(
      new RegExp(
        `<form method="post" action="/deals/${deal.id}/stage"[^>]*data-move-form>[\\s\\S]*?name="from" value="board"[\\s\\S]*?name="stageId" data-move-field`,
      ),
    );
    await agent
      .post(`/deals/${deal.id}/stage`)
      .type("form")
      .send({ _csrf: csrfFrom(deals), from: "board", stageId: String(stages[1]!.id) })
      .expect(302);
    expect((await t.deps.models.Deal.findByPk(deal.id))?.stageId).toBe(stages[1]!.id);
  });

  it("lets a customer page show an empty deals section with what to do next", async () => {
    const customer = await buildCustomer(t.deps.models, business, { name: "No Deals Yet" });
    const page = await agent.get(`/customers/${customer.id}`).expect(200);
    expect(page.text).toContain("No deals for this customer yet.");
  });
});

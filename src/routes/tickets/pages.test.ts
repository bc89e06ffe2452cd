import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildTicket } from "../../../test/factoriesTickets";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

// The app and its queue read this clock: "overdue" never depends on today.
const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("ticket pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  const ticketsOf = (businessId: number) =>
    t.deps.models.Ticket.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(() => t.close());

  it("says what to do on an empty list and board, and shows Tickets in the menu", async () => {
    const list = await agent.get("/tickets").expect(200);
    expect(list.text).toContain('href="/tickets"');
    expect(list.text).toContain("No open tickets. When a customer asks for help, open a ticket");
    const board = await agent.get("/tickets/board").expect(200);
    expect(board.text).toContain("The board is empty");
  });

  it("opens a ticket from the form, for the customer found by e-mail, and shows it", async () => {
    const customer = await buildCustomer(t.deps.models, business, {
      name: "Meera Iyer",
      email: "meera.pages@example.test",
    });
    const form = await agent.get("/tickets/new").expect(200);
    const res = await agent
      .post("/tickets")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        subject: "Delivery came damaged",
        priority: "high",
        category: "Delivery",
        assigneeId: String(owner.id),
        customerId: "",
        customerEmail: "Meera.Pages@example.test",
        message: "The box was crushed.",
      })
      .expect(302);
    const [ticket] = await ticketsOf(business.id);
    expect(ticket).toMatchObject({
      number: 1,
      subject: "Delivery came damaged",
      priority: "high",
      category: "Delivery",
      assigneeId: owner.id,
      customerId: customer.id,
      channel: "manual",
      status: "open",
    });
    expect(res.headers.location).toBe(`/tickets/${ticket!.id}`);
    const page = await agent.get(`/tickets/${ticket!.id}`).expect(200);
    expect(page.text).toContain("Ticket TKT-000001 created.");
    expect(page.text).toContain("The box was crushed.");
    expect(page.text).toContain("meera.pages@example.test");
    expect(page.text).toContain("opened the ticket");
    const list = await agent.get("/tickets?q=TKT-000001").expect(200);
    expect(list.text).toContain("Delivery came damaged");
  });

  it("refuses a form with bad input (422) and changes nothing", async () => {
    const before = (await ticketsOf(business.id)).length;
    const form = await agent.get("/tickets/new").expect(200);
    const res = await agent
      .post("/tickets")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        subject: " ",
        priority: "whenever",
        customerEmail: "nobody@example.test",
      })
      .expect(422);
    expect(res.text).toContain("Enter a subject.");
    expect(res.text).toContain("Choose a priority: low, normal, high or urgent.");
    const unknown = await agent
      .post("/tickets")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        subject: "Real",
        priority: "low",
        customerEmail: "nobody@example.test",
      })
      .expect(422);
    expect(unknown.text).toContain("No customer of this business has this e-mail.");
    expect(await ticketsOf(business.id)).toHaveLength(before);
    const filters = await agent.get("/tickets?priority=soon").expect(422);
    expect(filters.text).toContain("These filters could not be used");
  });

  it("moves a ticket on the board by a form post, and refuses a move the flow does not allow", async () => {
    const ticket = await buildTicket(t.deps.models, business, { subject: "Board mover" });
    const board = await agent.get("/tickets/board").expect(200);
    expect(board.text).toContain("Board mover");
    await agent
      .post(`/tickets/${ticket.id}/status`)
      .type("form")
      .send({ _csrf: csrfFrom(board), status: "in_progress", from: "board" })
      .expect(302)
      .expect("Location", "/tickets/board");
    expect((await ticket.reload()).status).toBe("in_progress");
    const refused = await agent
      .post(`/tickets/${ticket.id}/status`)
      .type("form")
      .send({ _csrf: csrfFrom(board), status: "closed", from: "board" })
      .expect(302);
    expect(refused.headers.location).toBe("/tickets/board");
    expect((await ticket.reload()).status).toBe("in_progress");
    const after = await agent.get("/tickets/board").expect(200);
    expect(after.text).toContain(
      "can move to waiting on customer or resolved or cancelled, not closed",
    );
  });

  it("adds an internal note and refuses an empty one (422, nothing saved)", async () => {
    const ticket = await buildTicket(t.deps.models, business, { subject: "Noted" });
    const page = await agent.get(`/tickets/${ticket.id}`).expect(200);
    const empty = await agent
      .post(`/tickets/${ticket.id}/messages`)
      .type("form")
      .send({ _csrf: csrfFrom(page), kind: "note", body: "  " })
      .expect(422);
    expect(empty.text).toContain("Write a message.");
    const noCustomer = await agent
      .post(`/tickets/${ticket.id}/messages`)
      .type("form")
      .send({ _csrf: csrfFrom(page), kind: "reply", body: "Hello?" })
      .expect(422);
    expect(noCustomer.text).toContain("no customer with an e-mail address");
    expect(await t.deps.models.TicketMessage.count({ where: { ticketId: ticket.id } })).toBe(0);
    await agent
      .post(`/tickets/${ticket.id}/messages`)
      .type("form")
      .send({ _csrf: csrfFrom(page), kind: "note", body: "Called the courier." })
      .expect(302);
    const shown = await agent.get(`/tickets/${ticket.id}`).expect(200);
    expect(shown.text).toContain("Called the courier.");
    expect(shown.text).toContain("Internal note");
  });

  it("flags overdue tickets in the list and on the ticket", async () => {
    const late = new Date(clock.nowMs() - 60_000);
    const ticket = await buildTicket(t.deps.models, business, {
      subject: "Late one",
      firstResponseDueAt: late,
      resolutionDueAt: new Date(clock.nowMs() + 3_600_000),
    });
    const list = await agent.get("/tickets?overdue=true").expect(200);
    expect(list.text).toContain("Late one");
    expect(list.text).toContain("First response overdue");
    expect(list.text).not.toContain("Board mover");
    const page = await agent.get(`/tickets/${ticket.id}`).expect(200);
    expect(page.text).toContain("First response overdue");
  });

  it("lets support work tickets; refuses roles without tickets (403) and plans without them", async () => {
    const ticket = await buildTicket(t.deps.models, business, { subject: "Support sees me" });
    const support = (await buildMember(t.deps.models, business, "support")).user;
    const supportAgent = await signedIn(t, support.email);
    const page = await supportAgent.get(`/tickets/${ticket.id}`).expect(200);
    await supportAgent
      .post(`/tickets/${ticket.id}/status`)
      .type("form")
      .send({ _csrf: csrfFrom(page), status: "in_progress" })
      .expect(302);
    // Support reads customers but does not edit them, and has no tasks.
    await supportAgent.get("/customers").expect(200);
    await supportAgent.get("/tasks").expect(403);

    for (const role of ["sales", "marketing"] as const) {
      const member = (await buildMember(t.deps.models, business, role)).user;
      const browser = await signedIn(t, member.email);
      await browser.get("/tickets").expect(403);
      await browser.get(`/tickets/${ticket.id}`).expect(403);
      const home = await browser.get("/customers");
      await browser
        .post(`/tickets/${ticket.id}/status`)
        .type("form")
        .send({ _csrf: csrfFrom(home), status: "cancelled" })
        .expect(403);
    }
    expect((await ticket.reload()).status).toBe("in_progress");

    const goldOwner = await buildUser(t.deps.models, { planCode: "gold" });
    await buildBusiness(t.deps.models, { owner: goldOwner });
    const gold = await signedIn(t, goldOwner.email);
    await gold.get("/tickets").expect(402);
  });

  it("answers 404 for another business's ticket, on every ticket page", async () => {
    const { business: other } = await buildBusiness(t.deps.models);
    const theirs = await buildTicket(t.deps.models, other, { subject: "Not yours" });
    const page = await agent.get("/tickets").expect(200);
    await agent.get(`/tickets/${theirs.id}`).expect(404);
    await agent.get(`/tickets/${theirs.id}/edit`).expect(404);
    await agent
      .post(`/tickets/${theirs.id}/messages`)
      .type("form")
      .send({ _csrf: csrfFrom(page), kind: "note", body: "Sneaky" })
      .expect(404);
    expect(await t.deps.models.TicketMessage.count({ where: { ticketId: theirs.id } })).toBe(0);
    expect(request).toBeDefined();
  });

  it("pages the list 25 at a time, newest first, with a link to older tickets", async () => {
    const shop = await ownerSignedIn(t, "enterprise");
    for (let i = 1; i <= 27; i++)
      await buildTicket(t.deps.models, shop.business, { subject: `Routine ${i}` });
    const first = await shop.agent.get("/tickets").expect(200);
    expect(first.text).toContain("Routine 27");
    expect(first.text).toContain("Routine 3<");
    expect(first.text).not.toContain("Routine 2<");
    // Handlebars writes "=" in an attribute as &#x3D;.
    const older = /href="\/tickets\?before(?:=|&#x3D;)(\d+)" rel="next"/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    const second = await shop.agent.get(`/tickets?before=${older}`).expect(200);
    expect(second.text).toContain("Routine 2<");
    expect(second.text).toContain("Routine 1<");
    expect(second.text).not.toContain("Routine 3<");
    expect(second.text).not.toContain('rel="next"');
  });

  it("shows a customer's tickets on the customer page, and lists only theirs when asked", async () => {
    const customer = await buildCustomer(t.deps.models, business, { name: "Ravi Customer Page" });
    const other = await buildCustomer(t.deps.models, business, { name: "Somebody Else" });
    const theirs = await buildTicket(t.deps.models, business, {
      customerId: customer.id,
      subject: "Invoice shows the wrong GSTIN",
    });
    await buildTicket(t.deps.models, business, { customerId: other.id, subject: "Not Ravi's" });

    const page = await agent.get(`/customers/${customer.id}`).expect(200);
    const card = /data-customer-tickets>(.*?)<\/div>\s*<\/div>/s.exec(page.text)?.[1] ?? page.text;
    expect(page.text).toContain(`href="/tickets/${theirs.id}"`);
    expect(page.text).toContain("Invoice shows the wrong GSTIN");
    expect(page.text).not.toContain("Not Ravi&#x27;s");
    expect(card).toContain(`href="/tickets/new?customerId=${customer.id}"`);

    const empty = await agent.get(`/customers/${other.id}`).expect(200);
    expect(empty.text).toContain("Not Ravi&#x27;s");
    const blank = await buildCustomer(t.deps.models, business, { name: "No Tickets Yet" });
    const none = await agent.get(`/customers/${blank.id}`).expect(200);
    expect(none.text).toContain("No tickets from this customer yet.");

    const list = await agent.get(`/tickets?status=any&customerId=${customer.id}`).expect(200);
    expect(list.text).toContain("Invoice shows the wrong GSTIN");
    expect(list.text).not.toContain("Not Ravi&#x27;s");
    expect(list.text).toContain(`name="customerId" value="${customer.id}"`);
    await agent.get("/tickets?customerId=0x10").expect(422);
  });
});

import { apiAs, useApiBusiness } from "../../../test/support/api";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildTicket, buildTicketMessage } from "../../../test/factoriesTickets";
import { FakeClock } from "../../lib/clock";
import { ticketSchema, ticketMessageSchema } from "./schema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("tickets API", () => {
  const env = useApiBusiness({ planCode: "enterprise", clock });
  const { api } = env;

  it("opens, reads and changes a ticket; answers match the declared schema", async () => {
    const customer = await buildCustomer(env.t.deps.models, env.business, { name: "Meera Iyer" });
    const created = await api("post", "/tickets", {
      subject: "Refund not received",
      customerId: customer.id,
      priority: "urgent",
      channel: "email",
      message: "I returned the parcel two weeks ago.",
    }).expect(201);
    expect(created.headers.location).toBe(`/api/v1/tickets/${created.body.data.id}`);
    expect(created.body).toMatchObject({
      statusCode: 201,
      message: "Ticket created.",
      data: {
        number: "TKT-000001",
        subject: "Refund not received",
        status: "open",
        priority: "urgent",
        channel: "email",
        customer: { id: customer.id, name: "Meera Iyer" },
        assignee: null,
        firstResponseDueAt: "2026-12-01T07:00:00.000Z",
        resolutionDueAt: "2026-12-01T10:00:00.000Z",
        overdue: null,
      },
    });
    expect(ticketSchema.safeParse(created.body.data).success).toBe(true);
    const id = created.body.data.id as number;

    const read = await api("get", `/tickets/${id}`).expect(200);
    expect(read.body.data).toEqual(created.body.data);

    const changed = await api("patch", `/tickets/${id}`, {
      status: "in_progress",
      assigneeId: env.owner.id,
      priority: "low",
    }).expect(200);
    expect(changed.body.data).toMatchObject({
      status: "in_progress",
      assignee: { id: env.owner.id },
      priority: "low",
      firstResponseDueAt: "2026-12-02T06:00:00.000Z",
    });

    const refused = await api("patch", `/tickets/${id}`, { status: "closed" }).expect(409);
    expect(refused.body).toMatchObject({
      error: "conflict",
      details: { code: "ticket_invalid_transition", from: "in_progress", to: "closed" },
    });

    const thread = await api("get", `/tickets/${id}/messages`).expect(200);
    expect(thread.body.data.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ["inbound", "I returned the parcel two weeks ago."],
    ]);
    const note = await api("post", `/tickets/${id}/messages`, {
      kind: "note",
      body: "Refund batch runs on Fridays.",
    }).expect(201);
    expect(note.body.data).toMatchObject({ kind: "note", author: { id: env.owner.id } });
    expect(ticketMessageSchema.safeParse(note.body.data).success).toBe(true);
  });

  it("lists with filters, newest first, paged by cursor", async () => {
    const shopOwner = await buildUser(env.t.deps.models, { planCode: "enterprise" });
    const { business: shop } = await buildBusiness(env.t.deps.models, { owner: shopOwner });
    const shopApi = await apiAs(env.t, shopOwner, shop);
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await buildTicket(env.t.deps.models, shop, { subject: `Routine ${i}` }));
    await buildTicket(env.t.deps.models, shop, { subject: "Closed one", status: "closed" });
    const first = await shopApi("get", "/tickets?limit=3").expect(200);
    expect(first.body.data.map((x: { subject: string }) => x.subject)).toEqual([
      "Routine 4",
      "Routine 3",
      "Routine 2",
    ]);
    const second = await shopApi("get", `/tickets?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((x: { subject: string }) => x.subject)).toEqual([
      "Routine 1",
      "Routine 0",
    ]);
    expect(second.body.nextCursor).toBeNull();
    const closed = await shopApi("get", "/tickets?status=closed").expect(200);
    expect(closed.body.data).toHaveLength(1);
    const byNumber = await shopApi("get", `/tickets?status=any&q=TKT-${made[1]!.number}`);
    expect(byNumber.body.data.map((x: { id: number }) => x.id)).toEqual([made[1]!.id]);
    await shopApi("get", "/tickets?cursor=bm9wZQ").expect(422);

    for (let i = 0; i < 3; i++)
      await buildTicketMessage(env.t.deps.models, made[0]!, { body: `m${i}` });
    const page1 = await shopApi("get", `/tickets/${made[0]!.id}/messages?limit=2`).expect(200);
    const page2 = await shopApi(
      "get",
      `/tickets/${made[0]!.id}/messages?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect([...page1.body.data, ...page2.body.data].map((m: { body: string }) => m.body)).toEqual([
      "m0",
      "m1",
      "m2",
    ]);
  });

  it("answers 422 with field errors and changes nothing", async () => {
    const before = await env.t.deps.models.Ticket.count({ where: { businessId: env.business.id } });
    const bad = await api("post", "/tickets", {
      subject: "",
      priority: "asap",
      channel: "pigeon",
      colour: "red",
    }).expect(422);
    expect(bad.body.details.fields).toMatchObject({
      subject: "Enter a subject.",
      priority: "Choose a priority: low, normal, high or urgent.",
      channel: "Choose a channel: web_form, email, whatsapp or manual.",
    });
    const ticket = await buildTicket(env.t.deps.models, env.business, { subject: "Keep me" });
    await api("patch", `/tickets/${ticket.id}`, {}).expect(422);
    await api("patch", `/tickets/${ticket.id}`, { assigneeId: 999_999_999 }).expect(422);
    await api("post", `/tickets/${ticket.id}/messages`, { kind: "shout", body: "" }).expect(422);
    // A reply needs a customer with an e-mail address: nothing pretends to send it.
    const noMail = await api("post", `/tickets/${ticket.id}/messages`, {
      kind: "reply",
      body: "Hello",
    }).expect(422);
    expect(noMail.body.details.fields.body).toContain("no customer with an e-mail address");
    expect(await ticket.reload()).toMatchObject({ subject: "Keep me", assigneeId: env.owner.id });
    expect(await env.t.deps.models.TicketMessage.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await env.t.deps.models.Ticket.count({ where: { businessId: env.business.id } })).toBe(
      before + 1,
    );
  });

  it("keeps businesses apart and roles to their permissions", async () => {
    const { business: other } = await buildBusiness(env.t.deps.models);
    const theirs = await buildTicket(env.t.deps.models, other, { subject: "Theirs" });
    await api("get", `/tickets/${theirs.id}`).expect(404);
    await api("patch", `/tickets/${theirs.id}`, { status: "cancelled" }).expect(404);
    await api("get", `/tickets/${theirs.id}/messages`).expect(404);
    await api("post", `/tickets/${theirs.id}/messages`, { kind: "note", body: "x" }).expect(404);
    expect((await theirs.reload()).status).toBe("open");

    const seller = (await buildMember(env.t.deps.models, env.business, "sales")).user;
    const sellerApi = await apiAs(env.t, seller, env.business);
    await sellerApi("get", "/tickets").expect(403);
    await sellerApi("post", "/tickets", { subject: "Nope" }).expect(403);
    const support = (await buildMember(env.t.deps.models, env.business, "support")).user;
    const supportApi = await apiAs(env.t, support, env.business);
    await supportApi("post", "/tickets", { subject: "Support may" }).expect(201);
  });
});

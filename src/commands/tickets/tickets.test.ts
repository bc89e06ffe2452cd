import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildTicket } from "../../../test/factoriesTickets";
import { buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { failure } from "../../../test/support/errors";
import type { JobQueue } from "../../jobs/queue";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import type { Deps } from "../../deps";
import { createTicket } from "./create";
import { loadTicket, listTickets } from "./list";
import { ticketReference } from "./numbering";
import { updateTicket } from "./update";

const db = useTestDatabase();

describe("ticket commands", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  const timeline = (ticketId: number) =>
    db.current.models.TicketEvent.findAll({ where: { ticketId }, order: [["id", "ASC"]] }).then(
      (rows) => rows.map((e) => ({ kind: e.kind, details: JSON.parse(e.details ?? "null") })),
    );

  beforeAll(async () => {
    // Jobs are queued, not run: these tests look at the database.
    queue = testQueue(clock);
    deps = testDeps(db.current, { queue, clock });
    ({ business, owner } = await buildBusiness(db.current.models, { name: "Help Desk Traders" }));
  });
  afterAll(() => queue.close());

  it("numbers tickets per business 1..N without gaps or repeats when created concurrently", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const otherCtx = await contextFor(db.current, other, otherOwner);
    const count = 12;
    const results = await Promise.allSettled([
      ...Array.from({ length: count }, (_, i) => createTicket(deps, ctx, { subject: `Load ${i}` })),
      ...Array.from({ length: 3 }, (_, i) =>
        createTicket(deps, otherCtx, { subject: `Other ${i}` }),
      ),
      // A creation that fails (unknown customer) takes no number.
      createTicket(deps, ctx, { subject: "Refused", customerId: 999_999_999 }),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    const numbers = async (b: Business) =>
      (await db.current.models.Ticket.findAll({ where: { businessId: b.id } }))
        .map((t) => t.number)
        .sort((x, y) => x - y);
    expect(await numbers(shop)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(await numbers(other)).toEqual([1, 2, 3]);
    // The next one follows on.
    const next = await createTicket(deps, ctx, { subject: "After the rush" });
    expect(ticketReference(next.number)).toBe("TKT-000013");
  });

  it("creates an open ticket with SLA due times, the customer's first message and a timeline entry", async () => {
    const customer = await buildCustomer(db.current.models, business, {
      email: "meera@example.test",
    });
    const agent = (await buildMember(db.current.models, business, "support")).user;
    const ctx = await contextFor(db.current, business, owner);
    const ticket = await createTicket(deps, ctx, {
      subject: "Invoice shows the wrong GSTIN",
      customerId: customer.id,
      priority: "urgent",
      category: "Billing",
      channel: "email",
      assigneeId: agent.id,
      message: "Our GSTIN is 29ABCDE1234F1Z5, not the one printed.",
      fromEmail: "meera@example.test",
    });
    expect(ticket.toJSON()).toMatchObject({
      status: "open",
      priority: "urgent",
      channel: "email",
      category: "Billing",
      assigneeId: agent.id,
      // Default targets: urgent = 1 h first response, 4 h resolution.
      firstResponseDueAt: new Date("2026-12-01T05:00:00Z"),
      resolutionDueAt: new Date("2026-12-01T08:00:00Z"),
    });
    expect(ticket.replyToken).toMatch(/^[a-f0-9]{24}$/);
    const thread = await db.current.models.TicketMessage.findAll({
      where: { ticketId: ticket.id },
    });
    expect(thread.map((m) => [m.kind, m.fromEmail, m.body])).toEqual([
      ["inbound", "meera@example.test", "Our GSTIN is 29ABCDE1234F1Z5, not the one printed."],
    ]);
    expect(await timeline(ticket.id)).toEqual([
      {
        kind: "created",
        details: {
          number: ticket.number,
          channel: "email",
          priority: "urgent",
          assigneeId: agent.id,
        },
      },
    ]);
  });

  it("follows the status flow, refusing other moves with a clear error and changing nothing", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const ticket = await createTicket(deps, ctx, { subject: "Flow" });

    const skip = await failure(updateTicket(deps, ctx, ticket, { status: "resolved" }));
    expect(skip.status).toBe(409);
    expect(skip.message).toBe(
      "A ticket that is open can move to in progress or cancelled, not resolved.",
    );
    expect(skip.details).toMatchObject({
      code: "ticket_invalid_transition",
      from: "open",
      to: "resolved",
    });
    expect((await db.current.models.Ticket.findByPk(ticket.id))?.status).toBe("open");

    for (const status of ["in_progress", "waiting_on_customer", "in_progress", "resolved"] as const)
      await updateTicket(deps, ctx, ticket, { status });
    expect(ticket.resolvedAt).toEqual(clock.now());
    await updateTicket(deps, ctx, ticket, { status: "closed" });
    const final = await failure(updateTicket(deps, ctx, ticket, { status: "in_progress" }));
    expect(final.message).toBe("A closed ticket cannot change status.");
    expect((await timeline(ticket.id)).slice(1)).toEqual(
      [
        ["open", "in_progress"],
        ["in_progress", "waiting_on_customer"],
        ["waiting_on_customer", "in_progress"],
        ["in_progress", "resolved"],
        ["resolved", "closed"],
      ].map(([from, to]) => ({ kind: "status_changed", details: { from, to } })),
    );
  });

  it("records assignee and priority changes on the timeline; a new priority moves the SLA", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const agent = (await buildMember(db.current.models, business, "support")).user;
    const ticket = await createTicket(deps, ctx, { subject: "Changes", priority: "low" });
    const created = ticket.createdAt;
    await updateTicket(deps, ctx, ticket, { assigneeId: agent.id, priority: "high" });
    await updateTicket(deps, ctx, ticket, { assigneeId: agent.id, priority: "high" }); // no change
    await updateTicket(deps, ctx, ticket, { subject: "Changes, renamed", category: "Hardware" });
    expect(ticket.firstResponseDueAt?.getTime()).toBe(
      Math.floor(created.getTime() / 1000) * 1000 + 4 * 3_600_000,
    );
    expect((await timeline(ticket.id)).slice(1)).toEqual([
      { kind: "assignee_changed", details: { from: null, to: agent.id } },
      { kind: "priority_changed", details: { from: "low", to: "high" } },
      {
        kind: "updated",
        details: {
          changes: { subject: ["Changes", "Changes, renamed"], category: [null, "Hardware"] },
        },
      },
    ]);
  });

  it("refuses assignees who do not work tickets and customers of another business (422)", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const seller = (await buildMember(db.current.models, business, "sales")).user;
    const stranger = await buildUser(db.current.models);
    const { business: other } = await buildBusiness(db.current.models);
    const theirs = await buildCustomer(db.current.models, other);
    for (const assigneeId of [seller.id, stranger.id]) {
      const error = await failure(createTicket(deps, ctx, { subject: "x", assigneeId }));
      expect(error.details).toEqual({
        fields: { assigneeId: "Choose a member of this business who works on tickets." },
      });
    }
    const error = await failure(createTicket(deps, ctx, { subject: "x", customerId: theirs.id }));
    expect(error.details).toEqual({
      fields: { customerId: "Choose a customer of this business." },
    });
  });

  it("keeps businesses apart: another business's ticket is not found, listed or changed", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const theirs = await buildTicket(db.current.models, other, { subject: "Their secret" });
    const ctx = await contextFor(db.current, business, owner);
    expect((await failure(loadTicket(deps, ctx, theirs.id))).id).toBe("not_found");
    const mine = await listTickets(deps, ctx, { status: "any", q: "Their secret" }, { limit: 50 });
    expect(mine).toEqual([]);
    const otherCtx = await contextFor(db.current, other, otherOwner);
    expect((await loadTicket(deps, otherCtx, theirs.id)).subject).toBe("Their secret");
  });

  it("filters by status, priority, assignee, overdue and number or subject", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const now = clock.now();
    const late = new Date(now.getTime() - 60_000);
    const later = new Date(now.getTime() + 3_600_000);
    const a = await buildTicket(db.current.models, shop, {
      subject: "Late reply",
      firstResponseDueAt: late,
      resolutionDueAt: later,
    });
    const b = await buildTicket(db.current.models, shop, {
      subject: "Answered",
      firstResponseDueAt: late,
      firstRespondedAt: late,
      resolutionDueAt: later,
      priority: "urgent",
      assigneeId: null,
    });
    const c = await buildTicket(db.current.models, shop, {
      subject: "Waiting",
      status: "waiting_on_customer",
      resolutionDueAt: late,
    });
    const d = await buildTicket(db.current.models, shop, { subject: "Done", status: "closed" });
    const ids = async (filter: Parameters<typeof listTickets>[2]) =>
      (await listTickets(deps, ctx, filter, { limit: 50 })).map((t) => t.id);
    expect(await ids({ status: "active" })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ status: "any" })).toEqual([d.id, c.id, b.id, a.id]);
    expect(await ids({ status: "active", overdue: true })).toEqual([a.id]);
    expect(await ids({ status: "any", priority: "urgent" })).toEqual([b.id]);
    expect(await ids({ status: "any", assigneeId: "none" })).toEqual([b.id]);
    expect(await ids({ status: "any", q: ticketReference(c.number) })).toEqual([c.id]);
    expect(await ids({ status: "any", q: "answ" })).toEqual([b.id]);
  });

  it("publishes ticket.created and ticket.updated to subscribed webhooks, in the change's transaction", async () => {
    const owner2 = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business: shop } = await buildBusiness(db.current.models, { owner: owner2 });
    await buildWebhookEndpoint(db.current.models, shop, {
      events: ["ticket.created", "ticket.updated"],
    });
    const ctx = await contextFor(db.current, shop, owner2);
    const ticket = await createTicket(deps, ctx, { subject: "Hooked" });
    await updateTicket(deps, ctx, ticket, { status: "in_progress", assigneeId: owner2.id });
    // A refused change publishes nothing.
    await failure(updateTicket(deps, ctx, ticket, { status: "closed" }));
    const events = await db.current.models.WebhookEvent.findAll({
      where: { businessId: shop.id },
      order: [["id", "ASC"]],
    });
    const bodies = events.map(
      (e) => JSON.parse(e.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => [b.type, b.data.number, b.data.status])).toEqual([
      ["ticket.created", "TKT-000001", "open"],
      ["ticket.updated", "TKT-000001", "in_progress"],
    ]);
    expect(bodies[1]?.data.assignee).toEqual({ id: owner2.id, name: owner2.name });
  });
});

import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { waitForMail } from "../../../test/support/outbox";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildUser,
  uniqueEmail,
} from "../../../test/factories";
import type { Deps } from "../../deps";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Business, User } from "../../models";
import { registerProcessors } from "../../../workers/processors";
import { createTicket } from "./create";
import { addTicketMessage } from "./messages";
import { updateTicket } from "./update";
import { ticketsReminderStep } from "../../jobs/ticketsReminders";
import { testQueue } from "../../../test/support/app";

const db = useTestDatabase();
const minute = 60_000;

/** Lets jobs released by the clock finish (they run on the in-process queue). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** Polls until the condition holds (jobs run asynchronously; a busy machine is slower). */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("ticket SLA reminders on a fake clock", () => {
  // The in-process driver times delayed jobs by this clock, so hours pass in a moment.
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let queue: InProcessQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  const overdueNotes = (user: User) =>
    db.current.models.Notification.findAll({
      where: { userId: user.id, kind: "ticket_overdue" },
      order: [["id", "ASC"]],
    });

  beforeAll(async () => {
    queue = new InProcessQueue(createLogger("silent"), clock);
    deps = testDeps(db.current, { queue, clock });
    registerProcessors(deps);
    await queue.startWorkers();
    ({ business, owner } = await buildBusiness(db.current.models, {
      name: "SLA Traders",
      timeZone: "Asia/Kolkata",
    }));
  });
  afterAll(() => queue.close());

  it("reminds the assignee when the first response and then the resolution fall due", async () => {
    const agent = (
      await buildMember(
        db.current.models,
        business,
        "support",
        await buildUser(db.current.models, { email: uniqueEmail("agent") }),
      )
    ).user;
    const ctx = await contextFor(db.current, business, owner);
    const ticket = await createTicket(deps, ctx, {
      subject: "Site is down",
      priority: "urgent",
      assigneeId: agent.id,
    });

    await clock.advance(59 * minute);
    await settle();
    expect(await overdueNotes(agent)).toHaveLength(0);

    await clock.advance(2 * minute);
    await until(async () => (await overdueNotes(agent)).length > 0);
    const [first] = await overdueNotes(agent);
    expect(first).toMatchObject({
      title: `Overdue: TKT-${String(ticket.number).padStart(6, "0")} Site is down`,
      body: "Past its first response target (due 1 Dec 2026, 10:30 (Asia/Kolkata))",
      link: `/tickets/${ticket.id}`,
    });
    const mail = await waitForMail(agent.email, { template: "ticket-overdue" });
    expect(mail.subject).toContain("Overdue ticket TKT-");
    expect(mail.text).toContain("first response target");
    const events = await db.current.models.TicketEvent.findAll({
      where: { ticketId: ticket.id, kind: "sla_reminded" },
    });
    expect(events.map((e) => JSON.parse(e.details ?? "{}"))).toEqual([
      { target: "first_response", assigneeId: agent.id },
    ]);

    // Urgent: resolution 4 hours after opening.
    await clock.advance(3 * 60 * minute);
    await until(async () => (await overdueNotes(agent)).length > 1);
    expect((await overdueNotes(agent)).map((n) => n.body)).toEqual([
      "Past its first response target (due 1 Dec 2026, 10:30 (Asia/Kolkata))",
      "Past its resolution target (due 1 Dec 2026, 13:30 (Asia/Kolkata))",
    ]);
  });

  it("stays quiet for tickets answered in time, waiting on the customer or finished", async () => {
    const agent = (await buildMember(db.current.models, business, "support")).user;
    const ctx = await contextFor(db.current, business, owner);
    const customer = await buildCustomer(db.current.models, business, { email: uniqueEmail("c") });
    const answered = await createTicket(deps, ctx, {
      subject: "Answered",
      priority: "urgent",
      assigneeId: agent.id,
      customerId: customer.id,
    });
    await addTicketMessage(deps, ctx, answered, { kind: "reply", body: "On it." });
    const waiting = await createTicket(deps, ctx, {
      subject: "Waiting",
      priority: "urgent",
      assigneeId: agent.id,
    });
    await updateTicket(deps, ctx, waiting, { status: "in_progress" });
    await updateTicket(deps, ctx, waiting, { status: "waiting_on_customer" });
    const cancelled = await createTicket(deps, ctx, {
      subject: "Dropped",
      priority: "urgent",
      assigneeId: agent.id,
    });
    await updateTicket(deps, ctx, cancelled, { status: "cancelled" });

    await clock.advance(90 * minute);
    await settle();
    expect(await overdueNotes(agent)).toEqual([]);
    // The answered one still owes its resolution (4 h).
    await clock.advance(3 * 60 * minute);
    await until(async () => (await overdueNotes(agent)).length > 0);
    await settle();
    expect((await overdueNotes(agent)).map((n) => n.title)).toEqual([
      expect.stringContaining("Answered"),
    ]);
  });

  it("puts a reminder lost with the queue back from the database (reconcile step)", async () => {
    const agent = (await buildMember(db.current.models, business, "support")).user;
    const ctx = await contextFor(db.current, business, owner);
    // Created while nothing works the queue: as if the delayed job died with a restart.
    const lost = testQueue(clock);
    const ticket = await createTicket(
      { ...deps, queue: lost, jobs: testDeps(db.current, { queue: lost, clock }).jobs },
      ctx,
      {
        subject: "Lost reminder",
        priority: "urgent",
        assigneeId: agent.id,
      },
    );
    await lost.close();
    const queued = await ticketsReminderStep.run({ ...deps, now: clock.now() });
    expect(queued).toBeGreaterThanOrEqual(1);
    await clock.advance(61 * minute);
    await until(async () => (await overdueNotes(agent)).length > 0);
    expect((await overdueNotes(agent)).map((n) => n.link)).toEqual([`/tickets/${ticket.id}`]);
  });
});

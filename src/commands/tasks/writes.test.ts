import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildTask,
  buildUser,
} from "../../../test/factories";
import { failure } from "../../../test/support/errors";
import type { JobQueue } from "../../jobs/queue";
import type { Business, User } from "../../models";
import type { Deps } from "../../deps";
import { createTask } from "./create";
import { deleteTask } from "./delete";
import { reminderJobId } from "./reminders";
import { updateTask } from "./update";

const db = useTestDatabase();

/** The AppError a promise rejects with, for asserting on its id and field messages. */
describe("task commands", () => {
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  const events = (customerId: number) =>
    db.current.models.TimelineEvent.findAll({ where: { customerId }, order: [["id", "ASC"]] }).then(
      (rows) => rows.map((e) => ({ kind: e.kind, details: JSON.parse(e.details ?? "null") })),
    );

  beforeAll(async () => {
    // Jobs are queued, not run: these tests look at what was queued.
    queue = testQueue();
    deps = testDeps(db.current, { queue });
    ({ business, owner } = await buildBusiness(db.current.models));
  });
  afterAll(() => queue.close());

  it("creates a task assigned to its author, writes the customer's timeline and queues the reminder", async () => {
    const customer = await buildCustomer(db.current.models, business, { name: "Meera Iyer" });
    const ctx = await contextFor(db.current, business, owner);
    const dueAt = new Date(Date.now() + 3 * 60 * 60 * 1000 + 123);
    const task = await createTask(deps, ctx, {
      title: "Send the quote",
      dueAt,
      customerId: customer.id,
    });

    const stored = await db.current.models.Task.findByPk(task.id);
    expect(stored).toMatchObject({
      businessId: business.id,
      assigneeId: owner.id,
      createdById: owner.id,
      priority: "medium",
      status: "open",
      customerId: customer.id,
      remindedFor: null,
    });
    // Whole seconds, so the reminder's job id matches what the database reads back.
    expect(stored?.dueAt?.getTime()).toBe(Math.floor(dueAt.getTime() / 1000) * 1000);
    expect(await events(customer.id)).toEqual([
      { kind: "task_created", details: { taskId: task.id, title: "Send the quote" } },
    ]);
    expect(await queue.state("default", reminderJobId(task.id, stored!.dueAt!))).toBe("delayed");
  });

  it("refuses an assignee from outside the business and a customer of another business, saving nothing", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const stranger = await buildUser(db.current.models);
    const { business: other } = await buildBusiness(db.current.models);
    const foreign = await buildCustomer(db.current.models, other);
    const before = await db.current.models.Task.count({ where: { businessId: business.id } });

    const badAssignee = await failure(
      createTask(deps, ctx, { title: "X", assigneeId: stranger.id }),
    );
    expect(badAssignee.id).toBe("validation_failed");
    expect(badAssignee.details).toEqual({
      fields: { assigneeId: "Choose a member of this business." },
    });
    const badCustomer = await failure(
      createTask(deps, ctx, { title: "X", customerId: foreign.id }),
    );
    expect(badCustomer.details).toEqual({
      fields: { customerId: "Choose a customer of this business." },
    });
    expect(await db.current.models.Task.count({ where: { businessId: business.id } })).toBe(before);
  });

  it("lets sales assign only to themselves and link only their own customers", async () => {
    const { models } = db.current;
    const seller = (await buildMember(models, business, "sales")).user;
    const colleague = (await buildMember(models, business, "manager")).user;
    const ctx = await contextFor(db.current, business, seller);
    const theirs = await buildCustomer(models, business, { ownerId: seller.id });
    const notTheirs = await buildCustomer(models, business, { ownerId: owner.id });

    const own = await createTask(deps, ctx, { title: "Mine", customerId: theirs.id });
    expect(own.assigneeId).toBe(seller.id);
    expect(
      (await failure(createTask(deps, ctx, { title: "X", assigneeId: colleague.id }))).details,
    ).toEqual({
      fields: { assigneeId: "You can assign tasks only to yourself." },
    });
    expect(
      (await failure(createTask(deps, ctx, { title: "X", assigneeId: null }))).details,
    ).toEqual({
      fields: { assigneeId: "You can assign tasks only to yourself." },
    });
    expect(
      (await failure(createTask(deps, ctx, { title: "X", customerId: notTheirs.id }))).details,
    ).toEqual({
      fields: { customerId: "Choose a customer of this business." },
    });
    expect((await failure(updateTask(deps, ctx, own, { assigneeId: colleague.id }))).id).toBe(
      "validation_failed",
    );
    expect((await models.Task.findByPk(own.id))?.assigneeId).toBe(seller.id);

    // A task a manager gave them, linked to someone else's customer, stays editable as it is.
    const given = await buildTask(models, business, {
      assigneeId: seller.id,
      createdById: colleague.id,
      customerId: notTheirs.id,
    });
    await updateTask(deps, ctx, given, {
      title: "Renamed",
      assigneeId: seller.id,
      customerId: notTheirs.id,
    });
    expect((await models.Task.findByPk(given.id))?.title).toBe("Renamed");
  });

  it("refuses members whose role has no tasks (marketing)", async () => {
    const marketer = (await buildMember(db.current.models, business, "marketing")).user;
    const ctx = await contextFor(db.current, business, marketer);
    expect((await failure(createTask(deps, ctx, { title: "X" }))).id).toBe("forbidden");
  });

  it("updates fields with timeline events: changes, completion, and the customer it moved away from", async () => {
    const { models } = db.current;
    const first = await buildCustomer(models, business, { name: "First Customer" });
    const second = await buildCustomer(models, business, { name: "Second Customer" });
    const member = (await buildMember(models, business, "support")).user;
    const ctx = await contextFor(db.current, business, owner);
    const task = await createTask(deps, ctx, { title: "Follow up", customerId: first.id });

    await updateTask(deps, ctx, task, { priority: "urgent", assigneeId: member.id });
    await updateTask(deps, ctx, task, { status: "done" });
    await updateTask(deps, ctx, task, { status: "done" }); // no change, no event
    await updateTask(deps, ctx, task, { customerId: second.id });

    expect(await models.Task.findByPk(task.id)).toMatchObject({
      priority: "urgent",
      status: "done",
      assigneeId: member.id,
      customerId: second.id,
    });
    const facts = { taskId: task.id, title: "Follow up" };
    expect(await events(first.id)).toEqual([
      { kind: "task_created", details: facts },
      {
        kind: "task_updated",
        details: {
          ...facts,
          changes: {
            priority: ["medium", "urgent"],
            assigneeId: [String(owner.id), String(member.id)],
          },
        },
      },
      { kind: "task_completed", details: facts },
      {
        kind: "task_updated",
        details: { ...facts, changes: { customerId: [String(first.id), String(second.id)] } },
      },
    ]);
    expect(await events(second.id)).toEqual([
      {
        kind: "task_updated",
        details: { ...facts, changes: { customerId: [String(first.id), String(second.id)] } },
      },
    ]);
  });

  it("queues a reminder for a new due time, and none for a finished task", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const task = await createTask(deps, ctx, { title: "Call" });
    const later = new Date(Date.now() + 5 * 60 * 60 * 1000);
    later.setMilliseconds(0);
    await updateTask(deps, ctx, task, { dueAt: later });
    expect(await queue.state("default", reminderJobId(task.id, later))).toBe("delayed");

    const done = await createTask(deps, ctx, { title: "Done already", status: "done" });
    const due = new Date(Date.now() + 6 * 60 * 60 * 1000);
    due.setMilliseconds(0);
    await updateTask(deps, ctx, done, { dueAt: due });
    expect(await queue.state("default", reminderJobId(done.id, due))).toBe("unknown");
  });

  it("deletes a task", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const task = await createTask(deps, ctx, { title: "Throwaway" });
    await deleteTask(deps, ctx, task);
    expect(await db.current.models.Task.findByPk(task.id)).toBeNull();
  });
});

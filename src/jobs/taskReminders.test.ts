import { testQueue } from "../../test/support/app";
import { useTestDatabase } from "../../test/support/database";
import { contextFor, startJobProcess, systemContextFor, testDeps } from "../../test/support/deps";
import { mailsTo, waitForMail } from "../../test/support/outbox";
import {
  buildBusiness,
  buildMember,
  buildTask,
  buildUser,
  uniqueEmail,
} from "../../test/factories";
import { createTask } from "../commands/tasks/create";
import { deleteTask } from "../commands/tasks/delete";
import { reminderJobId, sendTaskDueReminder } from "../commands/tasks/reminders";
import { updateTask } from "../commands/tasks/update";
import type { Deps } from "../deps";
import { createLogger } from "../logger";
import type { Business, User } from "../models";
import { Reconciler } from "./reconciler";
import { taskReminderStep } from "./taskReminders";

const db = useTestDatabase();
const minutes = (n: number) => {
  const at = new Date(Date.now() + n * 60_000);
  at.setMilliseconds(0);
  return at;
};

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("task due reminders", () => {
  let deps: Deps & { close(): Promise<void> };
  let business: Business;
  let owner: User;

  // The reminders (a task given by someone else also tells its assignee: task_assigned).
  const notificationsOf = (user: User) =>
    db.current.models.Notification.findAll({
      where: { userId: user.id, kind: "task_due" },
      order: [["id", "ASC"]],
    });
  // What the job does when it runs: the business's own context, then the command.
  const run = async (taskId: number, dueAt: Date) =>
    sendTaskDueReminder(deps, await systemContextFor(db.current, business), {
      taskId,
      dueAt: dueAt.getTime(),
    });

  beforeAll(async () => {
    // Lead time is the default 15 minutes: a task due in 5 minutes is reminded at once.
    deps = await startJobProcess(db.current);
    ({ business, owner } = await buildBusiness(db.current.models, {
      name: "Reminder Traders",
      timeZone: "Asia/Kolkata",
    }));
  });
  afterAll(() => deps.close());

  it("fires once: one notification and one e-mail, however often the job runs", async () => {
    const { models } = db.current;
    const assignee = (
      await buildMember(
        models,
        business,
        "sales",
        await buildUser(models, { email: uniqueEmail("due") }),
      )
    ).user;
    const ctx = await contextFor(db.current, business, owner);
    const dueAt = minutes(5);
    const task = await createTask(deps, ctx, {
      title: "Call Meera about the quote",
      dueAt,
      assigneeId: assignee.id,
    });

    const mail = await waitForMail(assignee.email, { template: "task-due" });
    expect(mail.subject).toBe("Task due: Call Meera about the quote");
    expect(mail.text).toContain("Reminder Traders");
    expect(mail.text.split("\n")).toContain(`${deps.config.APP_URL}/tasks/${task.id}`);
    await until(
      async () => (await models.Task.findByPk(task.id))?.remindedFor?.getTime() === dueAt.getTime(),
    );

    await run(task.id, dueAt);
    await run(task.id, dueAt);
    await pause(500);
    const notifications = await notificationsOf(assignee);
    expect(notifications.map((n) => [n.kind, n.title, n.link, n.dedupeKey])).toEqual([
      [
        "task_due",
        "Task due: Call Meera about the quote",
        `/tasks/${task.id}`,
        reminderJobId(task.id, dueAt),
      ],
    ]);
    expect((await mailsTo(assignee.email)).filter((m) => m.template === "task-due")).toHaveLength(
      1,
    );
  });

  it("notifies in the app only when the assignee turned task e-mails off", async () => {
    const { models } = db.current;
    const quiet = await buildUser(models, {
      email: uniqueEmail("quiet"),
      notificationPrefs: JSON.stringify({ taskDue: false }),
    });
    await buildMember(models, business, "support", quiet);
    const ctx = await contextFor(db.current, business, owner);
    const task = await createTask(deps, ctx, {
      title: "Quiet one",
      dueAt: minutes(3),
      assigneeId: quiet.id,
    });
    await until(async () => (await notificationsOf(quiet)).length === 1);
    await until(async () => (await models.Task.findByPk(task.id))?.remindedFor !== null);
    await pause(300);
    expect(await mailsTo(quiet.email)).toEqual([]);
  });

  it("is skipped once the task is done, cancelled or deleted", async () => {
    const { models } = db.current;
    const ctx = await contextFor(db.current, business, owner);
    const dueAt = minutes(120);
    const done = await createTask(deps, ctx, { title: "Finished early", dueAt });
    await updateTask(deps, ctx, done, { status: "done" });
    const cancelled = await createTask(deps, ctx, { title: "Called off", dueAt });
    await updateTask(deps, ctx, cancelled, { status: "cancelled" });
    const deleted = await createTask(deps, ctx, { title: "Gone", dueAt });
    await deleteTask(deps, ctx, deleted);

    // The queued jobs come due later; run them now, as they would then.
    await run(done.id, dueAt);
    expect(await run(cancelled.id, dueAt)).toBe("finished");
    expect(await run(deleted.id, dueAt)).toBe("task_gone");
    const titles = (await notificationsOf(owner)).map((n) => n.title);
    expect(titles).not.toContain("Task due: Finished early");
    expect(titles).not.toContain("Task due: Called off");
    expect((await models.Task.findByPk(done.id))?.remindedFor).toBeNull();
  });

  it("gives a changed due time its own reminder; the old time's job does nothing", async () => {
    const { models } = db.current;
    const assignee = (await buildMember(models, business, "manager")).user;
    const ctx = await contextFor(db.current, business, owner);
    const first = minutes(180);
    const task = await createTask(deps, ctx, {
      title: "Moving target",
      dueAt: first,
      assigneeId: assignee.id,
    });
    expect(await deps.queue.state("default", reminderJobId(task.id, first))).toBe("delayed");

    const second = minutes(4);
    await updateTask(deps, ctx, task, { dueAt: second });
    await until(async () => (await notificationsOf(assignee)).length === 1);
    expect(await run(task.id, first)).toBe("due_changed");

    const third = minutes(6);
    await updateTask(deps, ctx, task, { dueAt: third });
    await until(async () => (await notificationsOf(assignee)).length === 2);
    await until(
      async () => (await models.Task.findByPk(task.id))?.remindedFor?.getTime() === third.getTime(),
    );
    expect((await notificationsOf(assignee)).map((n) => n.dedupeKey)).toEqual([
      reminderJobId(task.id, second),
      reminderJobId(task.id, third),
    ]);
  });

  it("is put back on the queue at start-up when it was missed, and not when it was sent", async () => {
    const { models } = db.current;
    const assignee = (await buildMember(models, business, "sales")).user;
    const dueAt = minutes(5);
    // Written straight to the table: as if the process died before its job reached the queue.
    const missed = await buildTask(models, business, {
      title: "Missed",
      dueAt,
      assigneeId: assignee.id,
    });
    const sent = await buildTask(models, business, { title: "Sent", dueAt, remindedFor: dueAt });
    const later = minutes(600);
    const upcoming = await buildTask(models, business, { title: "Upcoming", dueAt: later });
    const finished = await buildTask(models, business, {
      title: "Finished",
      dueAt,
      status: "done",
    });

    // A queue without workers: the step's effect is what it queued, whoever else's tasks it finds.
    const fresh = testQueue();
    try {
      const freshDeps = testDeps(db.current, { queue: fresh });
      const reconciler = new Reconciler(createLogger("silent"));
      reconciler.register(taskReminderStep);
      const results = await reconciler.run(freshDeps);
      expect(results["task-reminders"]).toBeGreaterThanOrEqual(2);
      expect(await fresh.state("default", reminderJobId(missed.id, dueAt))).toBe("waiting");
      expect(await fresh.state("default", reminderJobId(upcoming.id, later))).toBe("delayed");
      expect(await fresh.state("default", reminderJobId(sent.id, dueAt))).toBe("unknown");
      expect(await fresh.state("default", reminderJobId(finished.id, dueAt))).toBe("unknown");
      // A second start queues nothing new for the same due time.
      await reconciler.run(freshDeps);
      expect(await fresh.state("default", reminderJobId(missed.id, dueAt))).toBe("waiting");
    } finally {
      await fresh.close();
    }
    await run(missed.id, dueAt);
    expect((await notificationsOf(assignee)).map((n) => n.title)).toEqual(["Task due: Missed"]);
  });
});

import { useTestDatabase } from "../../../test/support/database";
import { startJobProcess } from "../../../test/support/deps";
import { mailsTo, waitForMail } from "../../../test/support/outbox";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import type { Deps } from "../../deps";
import { reconcileSteps } from "../../jobs/reconcileSteps";
import { remindersScheduleId, remindersStepFor } from "../../jobs/reminders";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { remindBusiness } from "./run";
import { scanReminders } from "./scan";

const db = useTestDatabase();

/** A process's job side: its own queue, with the job workers running. */
// The queue's clock stays before every instant scanned, so the wish tasks' due reminders stay
// delayed whatever today's date is (each scan is given its instant explicitly).
const startProcess = () =>
  startJobProcess(db.current, { clock: new FakeClock("2027-01-01T00:00:00Z") });

/** A team where the owner and an admin want e-mail and a manager does not. */
async function celebratingBusiness(timeZone: string, birthDate: string) {
  const { models } = db.current;
  const { business, owner } = await buildBusiness(models, { timeZone, wishTasks: true });
  const { user: admin } = await buildMember(models, business, "admin");
  const quiet = await buildUser(models, {
    notificationPrefs: JSON.stringify({ reminders: false }),
  });
  await buildMember(models, business, "manager", quiet);
  await buildCustomer(models, business, { name: "Ravi Kumar", birthDate });
  return { business, mailed: [owner, admin], members: [owner, admin, quiet] };
}

async function expectRemindedOnce(
  business: Business,
  localDate: string,
  members: User[],
  mailed: User[],
) {
  const { models } = db.current;
  expect(await models.ReminderRun.count({ where: { businessId: business.id, localDate } })).toBe(1);
  const notifications = await models.Notification.findAll({
    where: { businessId: business.id, dedupeKey: `reminders-${business.id}-${localDate}` },
  });
  expect(notifications.map((n) => n.userId).sort()).toEqual(members.map((m) => m.id).sort());
  const wishes = await models.Task.count({
    where: { businessId: business.id, title: "Send birthday wishes to Ravi Kumar" },
  });
  expect(wishes).toBe(1);
  for (const user of mailed) await waitForMail(user.email, { template: "reminders-digest" });
  // Anything doubled would have been queued by now; give the mail worker a moment to show it.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const user of mailed) {
    const digests = (await mailsTo(user.email)).filter((m) => m.template === "reminders-digest");
    expect(digests).toHaveLength(1);
  }
}

describe("reminders are neither missed nor doubled", () => {
  it("are a start-up step of every process that runs jobs", () => {
    expect(reconcileSteps.map((step) => step.name)).toContain("reminders");
  });

  it("runs once when scanned twice and when two processes scan at the same moment", async () => {
    const { business, members, mailed } = await celebratingBusiness("Asia/Kolkata", "1990-08-20");
    // Two task sets and queues on one process's models (Sequelize models are bound to a single
    // connection manager); each scan's claim still runs in its own transaction and connection.
    const first = await startProcess();
    const second = await startProcess();
    try {
      // 11:00 in Kolkata.
      const now = new Date("2027-08-20T05:30:00Z");
      const scope = { now, businessIds: [business.id] };
      const results = await Promise.all([
        scanReminders(first, scope),
        scanReminders(second, scope),
      ]);
      expect(results.map((r) => r.reminded.length).sort()).toEqual([0, 1]);
      expect(results.map((r) => r.failed)).toEqual([0, 0]);
      const again = await scanReminders(first, { ...scope, now: new Date(+now + 9e5) });
      expect(again).toMatchObject({ due: 0, reminded: [] });
      // Past the "no run yet" check, the claim alone decides.
      const claims = await Promise.all([
        remindBusiness(first, business, "2027-08-21"),
        remindBusiness(first, business, "2027-08-21"),
      ]);
      expect(claims.map((c) => c.claimed).sort()).toEqual([false, true]);
      await expectRemindedOnce(business, "2027-08-20", members, mailed);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("catches up a 09:00 missed while the process was down, once, at the restart later that day", async () => {
    // Kathmandu is UTC+05:45: its 09:00 is 03:15 UTC, a quarter-hour the scan schedule hits.
    const { business, members, mailed } = await celebratingBusiness("Asia/Kathmandu", "1988-12-01");
    const localDate = "2027-12-01";
    const step = remindersStepFor({ businessIds: [business.id] });
    // The reconciler stamps its own clock, so the step is run as it would, at a chosen instant.
    const start = (proc: Deps, now: string) => step.run({ ...proc, now: new Date(now) });

    // Started at 08:40 local: scheduled, nothing due yet; then it stops before 09:00.
    const before = await startProcess();
    expect(await start(before, "2027-12-01T02:55:00Z")).toBe(0);
    expect(await before.queue.scheduleIds()).toContain(remindersScheduleId);
    await before.close();
    expect(await db.current.models.ReminderRun.count({ where: { businessId: business.id } })).toBe(
      0,
    );

    // Back at 10:00 local with a fresh queue: the start-up scan does the day.
    const after = await startProcess();
    try {
      expect(await start(after, "2027-12-01T04:15:00Z")).toBe(1);
      expect(await after.queue.scheduleIds()).toContain(remindersScheduleId);
      // The next quarter-hour's scan, and another restart in the afternoon, find it done.
      const later = await scanReminders(after, {
        now: new Date("2027-12-01T04:30:00Z"),
        businessIds: [business.id],
      });
      expect(later).toMatchObject({ due: 0, reminded: [] });
      expect(await start(after, "2027-12-01T09:15:00Z")).toBe(0);
      await expectRemindedOnce(business, localDate, members, mailed);
    } finally {
      await after.close();
    }
  });

  it("does not replay a day that ended while no process was running", async () => {
    const { business, mailed } = await celebratingBusiness("Asia/Kolkata", "1990-04-02");
    const proc = await startProcess();
    try {
      // Down all of 2 April (local); back at 10:00 on 3 April.
      const step = remindersStepFor({ businessIds: [business.id] });
      const { models } = db.current;
      const now = new Date("2027-04-03T04:30:00Z");
      expect(await step.run({ ...proc, now })).toBe(0);
      const runs = await models.ReminderRun.findAll({ where: { businessId: business.id } });
      expect(runs.map((r) => [r.localDate, r.customerCount])).toEqual([["2027-04-03", 0]]);
      expect(await mailsTo(mailed[0]!.email)).toEqual([]);
    } finally {
      await proc.close();
    }
  });
});

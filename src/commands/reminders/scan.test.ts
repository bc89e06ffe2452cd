import { useTestDatabase } from "../../../test/support/database";
import { startJobProcess } from "../../../test/support/deps";
import { mailsTo, waitForMail } from "../../../test/support/outbox";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { FakeClock } from "../../lib/clock";
import type { Business } from "../../models";
import { scanReminders } from "./scan";

const db = useTestDatabase();
let process: Awaited<ReturnType<typeof startJobProcess>>;

beforeAll(async () => {
  // Workers run the mail; the tests call the scan themselves, at the instants they choose.
  // The queue's clock stays before every instant scanned: the wish tasks' due reminders (18:00 of
  // those days) stay delayed whatever today's date is, and digests (no delay) go out at once.
  process = await startJobProcess(db.current, { clock: new FakeClock("2027-01-01T00:00:00Z") });
});
afterAll(() => process.close());

const scan = (now: string, ...businesses: Business[]) =>
  scanReminders(process, { now: new Date(now), businessIds: businesses.map((b) => b.id) });

async function notificationsOf(business: Business, localDate: string) {
  return db.current.models.Notification.findAll({
    where: { businessId: business.id, dedupeKey: `reminders-${business.id}-${localDate}` },
    order: [["userId", "ASC"]],
  });
}

async function runDates(business: Business): Promise<string[]> {
  const runs = await db.current.models.ReminderRun.findAll({
    where: { businessId: business.id },
    order: [["localDate", "ASC"]],
  });
  return runs.map((r) => r.localDate);
}

/** A business in `timeZone` with customers born on 9, 10 and 11 March (one of them married). */
async function marchBusiness(timeZone: string) {
  const { models } = db.current;
  const { business, owner } = await buildBusiness(models, { timeZone });
  await buildCustomer(models, business, { name: "Nina Ninth", birthDate: "1990-03-09" });
  await buildCustomer(models, business, { name: "Tara Tenth", birthDate: "1985-03-10" });
  await buildCustomer(models, business, { name: "Wed Tenth", anniversary: "2015-03-10" });
  await buildCustomer(models, business, { name: "Ela Eleventh", birthDate: "1992-03-11" });
  return { business, owner };
}

describe("the daily reminder scan, in each business's own time zone", () => {
  it.each([
    // [zone, 08:59 local, at or after 09:00 local, local date then]
    ["Asia/Kolkata", "2027-03-10T03:29:00Z", "2027-03-10T03:30:00Z", "2027-03-10"],
    // 16:30 in Los Angeles is already 10 March in UTC: the local date decides.
    ["America/Los_Angeles", "2027-03-09T16:59:00Z", "2027-03-10T00:30:00Z", "2027-03-09"],
    // 09:00 in Auckland is still 9 March in UTC.
    ["Pacific/Auckland", "2027-03-09T19:59:00Z", "2027-03-09T20:00:00Z", "2027-03-10"],
  ])(
    "%s: nothing before its 09:00, then that local date's customers",
    async (zone, before, after, date) => {
      const { business, owner } = await marchBusiness(zone);

      const early = await scan(before, business);
      expect(early.due).toBe(0);
      expect(await runDates(business)).toEqual([]);

      const due = await scan(after, business);
      expect(due.reminded).toEqual([
        expect.objectContaining({
          businessId: business.id,
          localDate: date,
          customers: date.endsWith("10") ? 2 : 1,
        }),
      ]);
      expect(await runDates(business)).toEqual([date]);
      const [notification, ...others] = await notificationsOf(business, date);
      expect(others).toEqual([]);
      expect(notification?.userId).toBe(owner.id);
      if (date.endsWith("10")) {
        expect(notification?.title).toBe("1 birthday and 1 anniversary today");
        expect(notification?.body).toBe(
          "Tara Tenth: birthday (42 years); Wed Tenth: anniversary (12 years)",
        );
        expect(notification?.link).toBe("/customers?upcomingDays=0");
      } else {
        expect(notification?.title).toBe("1 birthday today");
        expect(notification?.body).toBe("Nina Ninth: birthday (37 years)");
        expect(notification?.link).toMatch(/^\/customers\/\d+$/);
      }

      const mail = await waitForMail(owner.email, { template: "reminders-digest" });
      expect(mail.text).not.toContain("Ela Eleventh");
      expect(mail.text).toContain(date.endsWith("10") ? "Tara Tenth" : "Nina Ninth");
      expect(mail.text).not.toContain(date.endsWith("10") ? "Nina Ninth" : "Tara Tenth");
    },
  );

  it("celebrates 29 February on 28 February in years without one, and on the day in leap years", async () => {
    const { business, owner } = await buildBusiness(db.current.models, {
      timeZone: "Asia/Kolkata",
    });
    const { models } = db.current;
    await buildCustomer(models, business, { name: "Leap Born", birthDate: "2000-02-29" });
    await buildCustomer(models, business, { name: "Feb Eight", birthDate: "1990-02-28" });
    await buildCustomer(models, business, { name: "Leap Wed", anniversary: "2016-02-29" });
    await buildCustomer(models, business, { name: "March First", birthDate: "1991-03-01" });
    // 10:00 in Kolkata on each date.
    const bodies: Record<string, string | null | undefined> = {};
    for (const date of ["2027-02-28", "2027-03-01", "2028-02-28", "2028-02-29", "2028-03-01"]) {
      await scan(`${date}T04:30:00Z`, business);
      bodies[date] = (await notificationsOf(business, date))[0]?.body;
    }
    expect(bodies).toEqual({
      "2027-02-28":
        "Feb Eight: birthday (37 years); Leap Born: birthday (27 years); Leap Wed: anniversary (11 years)",
      "2027-03-01": "March First: birthday (36 years)",
      "2028-02-28": "Feb Eight: birthday (38 years)",
      "2028-02-29": "Leap Born: birthday (28 years); Leap Wed: anniversary (12 years)",
      "2028-03-01": "March First: birthday (37 years)",
    });
    expect(await runDates(business)).toHaveLength(5);
    const mail = await waitForMail(owner.email, { subjectIncludes: "29 Feb 2028" });
    expect(mail.text).toContain("Leap Born: Birthday (28 years)");
  });

  it("marks a day with nobody to celebrate as done without notifying anyone", async () => {
    const { business, owner } = await marchBusiness("Asia/Kolkata");
    const summary = await scan("2027-07-01T05:00:00Z", business);
    expect(summary).toMatchObject({ due: 1, quiet: 1, reminded: [] });
    expect(await runDates(business)).toEqual(["2027-07-01"]);
    expect(await notificationsOf(business, "2027-07-01")).toEqual([]);
    expect((await scan("2027-07-01T09:00:00Z", business)).due).toBe(0);
    expect(await mailsTo(owner.email)).toEqual([]);
  });
});

describe("who is reminded", () => {
  it("notifies every member who sees customers, sales only of their own, and mails only those who opted in", async () => {
    const { models } = db.current;
    const { business, owner } = await buildBusiness(models, { timeZone: "Asia/Kolkata" });
    const optedOut = await buildUser(models, {
      name: "Quiet Manager",
      notificationPrefs: JSON.stringify({ reminders: false }),
    });
    await buildMember(models, business, "manager", optedOut);
    const { user: sales } = await buildMember(models, business, "sales");
    const { user: otherSales } = await buildMember(models, business, "sales");
    const { user: support } = await buildMember(models, business, "support");
    await buildCustomer(models, business, {
      name: "Sales Own",
      birthDate: "1980-06-15",
      ownerId: sales.id,
    });
    await buildCustomer(models, business, { name: "Owner Own", anniversary: "2001-06-15" });

    await scan("2027-06-15T04:00:00Z", business);
    const notifications = await notificationsOf(business, "2027-06-15");
    const byUser = new Map(notifications.map((n) => [n.userId, n.body]));
    expect(byUser).toEqual(
      new Map([
        [owner.id, "Owner Own: anniversary (26 years); Sales Own: birthday (47 years)"],
        [optedOut.id, "Owner Own: anniversary (26 years); Sales Own: birthday (47 years)"],
        [sales.id, "Sales Own: birthday (47 years)"],
        [support.id, "Owner Own: anniversary (26 years); Sales Own: birthday (47 years)"],
      ]),
    );
    expect(byUser.has(otherSales.id)).toBe(false);

    const salesMail = await waitForMail(sales.email, { template: "reminders-digest" });
    expect(salesMail.subject).toBe(
      `Birthdays and anniversaries on 15 Jun 2027 at ${business.name}`,
    );
    expect(salesMail.text).toContain("Sales Own: Birthday (47 years)");
    expect(salesMail.text).not.toContain("Owner Own");
    const ownerMail = await waitForMail(owner.email, { template: "reminders-digest" });
    expect(ownerMail.text).toContain("Owner Own: Anniversary (26 years)");
    expect(ownerMail.text).toMatch(/^http:\/\/localhost:\d+\/customers\/\d+$/m);
    await waitForMail(support.email, { template: "reminders-digest" });
    expect(await mailsTo(optedOut.email)).toEqual([]);
    expect(await mailsTo(otherSales.email)).toEqual([]);
  });
});

describe("send-wishes tasks", () => {
  it("gives each celebrated customer one task for its owner (or the business owner), due 18:00 local", async () => {
    const { models } = db.current;
    const { business, owner } = await buildBusiness(models, {
      timeZone: "America/Los_Angeles",
      wishTasks: true,
    });
    const { user: sales } = await buildMember(models, business, "sales");
    const departed = await buildUser(models, { name: "Left Already" });
    const own = await buildCustomer(models, business, {
      name: "Sales Own",
      birthDate: "1980-11-05",
      ownerId: sales.id,
    });
    const orphan = await buildCustomer(models, business, {
      name: "Orphan Owner",
      birthDate: "1990-11-05",
      ownerId: departed.id,
    });
    const both = await buildCustomer(models, business, {
      name: "Double Day",
      birthDate: "1970-11-05",
      anniversary: "1999-11-05",
      ownerId: null,
    });
    const { business: plain } = await buildBusiness(models, { timeZone: "America/Los_Angeles" });
    await buildCustomer(models, plain, { name: "No Task", birthDate: "1980-11-05" });

    // 10:00 in Los Angeles (PDT until 7 November 2027), then again later that day.
    await scan("2027-11-05T17:00:00Z", business, plain);
    await scan("2027-11-05T23:00:00Z", business, plain);

    const dueAt = new Date("2027-11-06T01:00:00Z");
    const wishes = await models.Task.findAll({
      where: { businessId: [business.id, plain.id], dueAt },
      order: [["customerId", "ASC"]],
    });
    expect(
      wishes.map((t) => [t.businessId, t.customerId, t.assigneeId, t.title, t.priority, t.status]),
    ).toEqual([
      [business.id, own.id, sales.id, "Send birthday wishes to Sales Own", "medium", "open"],
      [business.id, orphan.id, owner.id, "Send birthday wishes to Orphan Owner", "medium", "open"],
      [
        business.id,
        both.id,
        owner.id,
        "Send birthday and anniversary wishes to Double Day",
        "medium",
        "open",
      ],
    ]);
    const events = await models.TimelineEvent.count({
      where: { customerId: [own.id, orphan.id, both.id], kind: "task_created" },
    });
    expect(events).toBe(3);
  });
});

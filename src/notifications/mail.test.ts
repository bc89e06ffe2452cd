import { buildBusiness, buildMember, buildUser, uniqueEmail } from "../../test/factories";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { mailsTo } from "../../test/support/outbox";
import { notify, recentNotifications, unreadCount } from "../commands/notifications";
import { serializeChannels, defaultNotificationChannels } from "../lib/notificationPreferences";
import type { Business, User } from "../models";
import { sendNotificationMails } from "./mail";

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Issue 15 item 4: each person's preference per kind (in the app, by e-mail, both, neither) decides
 * where a notification goes; e-mails are batched — one per person and business per sweep — and
 * go through the mail queue to the outbox.
 */
describe("notification channels and e-mails", () => {
  let t: TestApp;
  let business: Business;
  beforeAll(async () => {
    t = await buildTestApp();
    const owner = await buildUser(t.deps.models, { planCode: "gold" });
    ({ business } = await buildBusiness(t.deps.models, { owner, name: "Shah Traders" }));
  });
  afterAll(() => t.close());

  async function member(taskAssigned: string, formSubmission = "both"): Promise<User> {
    const user = await buildUser(t.deps.models, {
      email: uniqueEmail(taskAssigned),
      notificationPrefs: serializeChannels({
        ...defaultNotificationChannels,
        taskAssigned: taskAssigned as "both",
        formSubmission: formSubmission as "both",
      }),
    });
    await buildMember(t.deps.models, business, "manager", user);
    return user;
  }

  const assigned = (user: User, n: number) => ({
    businessId: business.id,
    userId: user.id,
    kind: "task_assigned",
    title: `Ravi assigned you a task: Call ${n}`,
    link: `/tasks/${n}`,
    dedupeKey: `mail-test-${user.id}-${n}`,
  });

  it("puts each kind where the person asked: bell, e-mail, both or nowhere", async () => {
    const both = await member("both");
    const app = await member("in_app");
    const mail = await member("email");
    const none = await member("none");
    const fresh = await notify(
      t.deps.models,
      [both, app, mail, none].map((u) => assigned(u, 1)),
    );
    expect(fresh.map((n) => n.userId)).toEqual([both.id, app.id, mail.id]);
    const row = async (user: User) =>
      t.deps.models.Notification.findOne({ where: { userId: user.id } });
    expect(await row(both)).toMatchObject({ inApp: true, mailStatus: "pending", readAt: null });
    expect(await row(app)).toMatchObject({ inApp: true, mailStatus: null, readAt: null });
    expect(await row(mail)).toMatchObject({ inApp: false, mailStatus: "pending" });
    expect((await row(mail))!.readAt).not.toBeNull();
    expect(await row(none)).toBeNull();
    // E-mail only: not in the bell's count nor the list.
    expect(await unreadCount(t.deps.models, mail.id, business.id)).toBe(0);
    expect(await recentNotifications(t.deps.models, mail.id, business.id)).toEqual([]);
    expect(await unreadCount(t.deps.models, app.id, business.id)).toBe(1);
    // Kinds without a preference always reach the bell; the feature mails them itself.
    await notify(t.deps.models, [
      { ...assigned(none, 2), kind: "ticket_overdue", dedupeKey: `overdue-${none.id}` },
    ]);
    expect(await row(none)).toMatchObject({ inApp: true, mailStatus: null });
  });

  it("e-mails everything pending as one message per person and business, once", async () => {
    const asha = await member("both", "email");
    const quiet = await member("in_app", "in_app");
    await notify(t.deps.models, [assigned(asha, 1), assigned(quiet, 1)]);
    await notify(t.deps.models, [
      {
        businessId: business.id,
        userId: asha.id,
        kind: "form_submission",
        title: "New lead from Book a demo: Meera Iyer",
        link: "/leads/9",
        dedupeKey: `form-${asha.id}`,
      },
      assigned(asha, 2),
    ]);
    expect(await sendNotificationMails(t.deps)).toBeGreaterThanOrEqual(1);
    await until(async () => (await mailsTo(asha.email)).length === 1);
    const [message] = await mailsTo(asha.email);
    expect(message!.subject).toBe("3 new notifications at Shah Traders");
    expect(message!.text).toContain("Ravi assigned you a task: Call 1");
    expect(message!.text).toContain("Ravi assigned you a task: Call 2");
    expect(message!.text).toContain("New lead from Book a demo: Meera Iyer");
    expect(message!.text).toContain("/leads/9");
    expect(message!.html).toContain("/tasks/2");

    // Nothing pending any more: the next sweep sends nothing, and the quiet member got nothing.
    expect(
      await t.deps.models.Notification.count({
        where: { userId: [asha.id, quiet.id], mailStatus: "pending" },
      }),
    ).toBe(0);
    await sendNotificationMails(t.deps);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailsTo(asha.email)).toHaveLength(1);
    expect(await mailsTo(quiet.email)).toEqual([]);

    // One more later: its own e-mail, titled by the notification.
    await notify(t.deps.models, [assigned(asha, 3)]);
    await sendNotificationMails(t.deps);
    await until(async () => (await mailsTo(asha.email)).length === 2);
    expect((await mailsTo(asha.email))[1]!.subject).toBe("Ravi assigned you a task: Call 3");
  });
});

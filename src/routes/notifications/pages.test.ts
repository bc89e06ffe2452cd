import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../../test/factories";
import { notify } from "../../commands/notifications";

/** The number on the top bar's bell, or null when it shows none. */
function bellBadge(html: string): string | null {
  const bell = /<a [^>]*data-slot="notifications"[^>]*>([\s\S]*?)<\/a>/.exec(html);
  if (!bell) throw new Error("no notification bell on the page");
  return /badge[^>]*>([^<]+)</.exec(bell[1]!)?.[1] ?? null;
}

describe("notifications", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("lists the member's notifications in the current business, counts unread on the bell, and marks all read", async () => {
    const user = await buildUser(t.deps.models, { name: "Asha Rao" });
    const { business } = await buildBusiness(t.deps.models, { owner: user, name: "First Shop" });
    const { business: elsewhere } = await buildBusiness(t.deps.models, { name: "Another Shop" });
    const colleague = await buildUser(t.deps.models);
    await notify(t.deps.models, [
      {
        businessId: business.id,
        userId: user.id,
        kind: "task_due",
        title: "Task due: Call Meera",
        link: "/tasks/1",
        dedupeKey: "n-1",
      },
      {
        businessId: business.id,
        userId: user.id,
        kind: "task_due",
        title: "Task due: Send quote",
        body: "Due 25 Nov",
        dedupeKey: "n-2",
      },
      {
        businessId: elsewhere.id,
        userId: user.id,
        kind: "task_due",
        title: "Task due: Other shop",
        dedupeKey: "n-3",
      },
      {
        businessId: business.id,
        userId: colleague.id,
        kind: "task_due",
        title: "Task due: Not yours",
        dedupeKey: "n-4",
      },
      // Only same-site links are followed.
      {
        businessId: business.id,
        userId: user.id,
        kind: "task_due",
        title: "Odd link",
        link: "//evil.example",
        dedupeKey: "n-5",
      },
    ]);
    const agent = request.agent(t.app);
    await signIn(agent, user.email, defaultPassword);

    const home = await agent.get("/").expect(200);
    expect(bellBadge(home.text)).toBe("3");
    const page = await agent.get("/notifications").expect(200);
    expect(page.text).toContain('<a href="/tasks/1">Task due: Call Meera</a>');
    expect(page.text).toContain("Task due: Send quote");
    expect(page.text).toContain("Due 25 Nov");
    expect(page.text).not.toContain("Other shop");
    expect(page.text).not.toContain("Not yours");
    expect(page.text).not.toContain("evil.example");
    expect(page.text).toContain("Mark all as read");

    const read = await agent
      .post("/notifications/read")
      .type("form")
      .send({ _csrf: csrfFrom(page) });
    expect(read.headers.location).toBe("/notifications");
    const after = await agent.get("/notifications").expect(200);
    expect(after.text).toContain("All notifications marked as read.");
    expect(after.text).not.toContain("Mark all as read");
    expect(bellBadge(after.text)).toBeNull();
    const unread = await t.deps.models.Notification.count({
      where: { userId: user.id, readAt: null },
    });
    expect(unread).toBe(1); // the other business's, untouched
  });

  it("shows a task's due reminder, sent by the job queue, on the bell and the list", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const agent = request.agent(t.app);
    await signIn(agent, owner.email, defaultPassword);
    const form = await agent.get("/tasks/new");
    // Due in five minutes: inside the default 15-minute lead, so the reminder goes out at once.
    const due = new Date(Date.now() + 5 * 60_000);
    const local = new Intl.DateTimeFormat("sv-SE", {
      timeZone: business.timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .format(due)
      .replace(" ", "T");
    await agent
      .post("/tasks")
      .type("form")
      .send({ _csrf: csrfFrom(form), title: "Ring the supplier", priority: "high", dueAt: local })
      .expect(302);

    const deadline = Date.now() + 10_000;
    let page = await agent.get("/notifications");
    while (!page.text.includes("Task due: Ring the supplier") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await agent.get("/notifications");
    }
    expect(page.text).toContain("Task due: Ring the supplier");
    expect(bellBadge((await agent.get("/tasks")).text)).toBe("1");
  });

  it("needs a signed-in member", async () => {
    const res = await request(t.app).get("/notifications");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/login?next=%2Fnotifications");
  });
});

import { buildMember } from "../../test/factories";
import { ownerSignedIn, signedIn } from "../../test/support/customers";
import { csrfFrom } from "../../test/support/forms";
import type { EventStream } from "../../test/support/sse";
import { useLiveApp } from "../../test/support/live";
import { loadTenantContext } from "../tenancy/loader";
import { createTask } from "../commands/tasks/create";
import { updateTask } from "../commands/tasks/update";
import { deleteTask } from "../commands/tasks/delete";
import { FakeClock } from "../lib/clock";

const clock = new FakeClock("2026-12-02T06:00:00Z");

/**
 * Issue 15 item 4: a task given to someone else notifies them, and their open page hears it live
 * (the bell's count), as does every open dashboard of the business (its tasks card). Through Redis
 * pub/sub when REDIS_URL is set.
 */
describe("task assignment, live", () => {
  const env = useLiveApp({ clock });

  async function streamOf(email: string) {
    const stream = await env.bell(email);
    const first = await stream.next();
    expect(first.event).toBe("unread");
    return stream;
  }

  /** The next event of this kind, skipping the other kind (their order is not fixed). */
  async function nextOf(stream: EventStream, kind: "unread" | "dashboard") {
    for (let i = 0; i < 5; i += 1) {
      const event = await stream.next();
      if (event.event === kind) return JSON.parse(event.data) as Record<string, unknown>;
    }
    throw new Error(`no ${kind} event`);
  }

  it("notifies the assignee live when another session assigns them a task, not when you assign yourself", async () => {
    const { business, owner, agent } = await ownerSignedIn(env.t, "gold");
    const { user: asha } = await buildMember(env.t.deps.models, business, "manager");
    const ashaStream = await streamOf(asha.email);

    const form = await agent.get("/tasks/new").expect(200);
    await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Call Meera about the quote",
        priority: "high",
        status: "open",
        dueAt: "",
        assigneeId: String(asha.id),
        customerId: "",
      })
      .expect(302);
    expect(await nextOf(ashaStream, "unread")).toEqual({ count: 1, badge: "1" });
    const [note] = await env.t.deps.models.Notification.findAll({ where: { userId: asha.id } });
    expect(note).toMatchObject({
      kind: "task_assigned",
      title: "Owner Person assigned you a task: Call Meera about the quote",
      businessId: business.id,
      readAt: null,
    });
    expect(note!.link).toMatch(/^\/tasks\/\d+$/);
    const ashaAgent = await signedIn(env.t, asha.email);
    const list = await ashaAgent.get("/notifications").expect(200);
    expect(list.text).toContain("Owner Person assigned you a task: Call Meera about the quote");

    // Your own task, and a change that is not a handover, tell nobody.
    const ownerCtx = await loadTenantContext(env.t.deps, {
      businessId: business.id,
      userId: owner.id,
    });
    await createTask(env.t.deps, ownerCtx!, { title: "Mine", assigneeId: owner.id });
    const ashaCtx = await loadTenantContext(env.t.deps, {
      businessId: business.id,
      userId: asha.id,
    });
    await createTask(env.t.deps, ashaCtx!, { title: "Asha's own" });
    const task = await env.t.deps.models.Task.findOne({
      where: { title: "Call Meera about the quote" },
    });
    await updateTask(env.t.deps, ownerCtx!, task!, { priority: "urgent" });
    expect(await env.t.deps.models.Notification.count({ where: { userId: asha.id } })).toBe(1);
    expect(await env.t.deps.models.Notification.count({ where: { userId: owner.id } })).toBe(0);

    // Handed over again: the new assignee is told.
    const { user: ravi } = await buildMember(env.t.deps.models, business, "sales");
    await updateTask(env.t.deps, ownerCtx!, task!, { assigneeId: ravi.id });
    expect(
      await env.t.deps.models.Notification.count({
        where: { userId: ravi.id, kind: "task_assigned" },
      }),
    ).toBe(1);
  });

  it("tells every open dashboard of the business that its tasks card changed, and nobody else's", async () => {
    const { business, owner } = await ownerSignedIn(env.t, "gold");
    const other = await ownerSignedIn(env.t, "gold");
    const { user: sales } = await buildMember(env.t.deps.models, business, "sales");
    const salesStream = await streamOf(sales.email);
    const strangerStream = await streamOf(other.owner.email);

    const ctx = await loadTenantContext(env.t.deps, { businessId: business.id, userId: owner.id });
    const task = await createTask(env.t.deps, ctx!, { title: "Ring the bank" });
    expect(await nextOf(salesStream, "dashboard")).toEqual({ cards: ["tasks"] });
    await deleteTask(env.t.deps, ctx!, task);
    expect(await nextOf(salesStream, "dashboard")).toEqual({ cards: ["tasks"] });
    await expect(strangerStream.next(300)).rejects.toThrow("no event in time");
  });
});

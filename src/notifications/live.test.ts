import { buildMember, buildNotification } from "../../test/factories";
import { ownerSignedIn, signedIn } from "../../test/support/customers";
import { csrfFrom } from "../../test/support/forms";
import type { EventStream } from "../../test/support/sse";
import { useLiveApp } from "../../test/support/live";
import { markAllRead, notify } from "../commands/notifications";
import { FakeClock } from "../lib/clock";
import { liveNotificationsFor } from "./live";

const clock = new FakeClock("2026-12-02T06:00:00Z");

/** The bell's live count (in-process without REDIS_URL, through Redis with it). */
describe("live notifications", () => {
  const env = useLiveApp({ clock });

  const unread = async (stream: EventStream) => {
    const event = await stream.next();
    expect(event.event).toBe("unread");
    return JSON.parse(event.data) as { count: number; badge: string | null };
  };

  it("streams the unread count, then again when a notification arrives or is read", async () => {
    const { business, owner } = await ownerSignedIn(env.t, "gold");
    const stream = await env.bell(owner.email);
    expect(stream.response.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(await unread(stream)).toEqual({ count: 0, badge: null });

    const input = { businessId: business.id, userId: owner.id, kind: "task_assigned" };
    await notify(env.t.deps.models, [{ ...input, title: "A task for you", dedupeKey: "live-1" }]);
    expect(await unread(stream)).toEqual({ count: 1, badge: "1" });
    // The same key again stores nothing and signals nothing new; a second one counts.
    await notify(env.t.deps.models, [
      { ...input, title: "A task for you", dedupeKey: "live-1" },
      { ...input, title: "Another", dedupeKey: "live-2" },
    ]);
    expect(await unread(stream)).toEqual({ count: 2, badge: "2" });
    await markAllRead(env.t.deps, owner.id, business.id);
    expect(await unread(stream)).toEqual({ count: 0, badge: null });
  });

  it("sends a person who opens the stream's address to the notifications page", async () => {
    const { agent } = await ownerSignedIn(env.t, "gold");
    const res = await agent.get("/notifications/live").expect(302);
    expect(res.headers.location).toBe("/notifications");
  });

  it("never tells one member about another's notifications", async () => {
    const { business, owner } = await ownerSignedIn(env.t, "gold");
    const { user: other } = await buildMember(env.t.deps.models, business, "sales");
    const stream = await env.bell(owner.email);
    expect(await unread(stream)).toEqual({ count: 0, badge: null });
    await notify(env.t.deps.models, [
      {
        businessId: business.id,
        userId: other.id,
        kind: "x",
        title: "Not yours",
        dedupeKey: "o-1",
      },
    ]);
    await expect(stream.next(300)).rejects.toThrow("no event in time");
  });

  it("marks one notification read, only the member's own", async () => {
    const { business, owner, agent } = await ownerSignedIn(env.t, "gold");
    const { user: other } = await buildMember(env.t.deps.models, business, "admin");
    const mine = await buildNotification(env.t.deps.models, {
      businessId: business.id,
      userId: owner.id,
    });
    const theirs = await buildNotification(env.t.deps.models, {
      businessId: business.id,
      userId: other.id,
    });
    const page = await agent.get("/notifications").expect(200);
    expect(page.text).toContain(`action="/notifications/${mine.id}/read"`);
    await agent
      .post(`/notifications/${theirs.id}/read`)
      .type("form")
      .send({ _csrf: csrfFrom(page) })
      .expect(404);
    await agent
      .post(`/notifications/${mine.id}/read`)
      .type("form")
      .send({ _csrf: csrfFrom(page) })
      .expect(302);
    await mine.reload();
    await theirs.reload();
    expect(mine.readAt).toEqual(clock.now());
    expect(theirs.readAt).toBeNull();
    const otherAgent = await signedIn(env.t, other.email);
    await otherAgent.get("/notifications").expect(200);
  });

  it("ends open streams when the process shuts its live channel", async () => {
    const { owner } = await ownerSignedIn(env.t, "gold");
    const stream = await env.bell(owner.email);
    await unread(stream);
    const ended = new Promise<void>((resolve) => stream.response.on("end", () => resolve()));
    await liveNotificationsFor(env.t.deps.config).close();
    await ended;
    expect(stream.response.complete).toBe(true);
  });
});

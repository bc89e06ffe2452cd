import { randomUUID } from "node:crypto";
import { buildBusiness, buildNotification, buildUser } from "../../test/factories";
import { buildTestApp, type TestApp } from "../../test/support/app";
import {
  closeServer,
  listening,
  openEventStream,
  sessionCookie,
  type EventStream,
} from "../../test/support/sse";
import { closeLiveNotifications, liveNotificationsFor } from "./live";

/**
 * Two web processes sharing Redis (and the database): a notification created in one reaches the
 * bell of a page served by the other. Each app has its own live channel object, with its own Redis
 * connections; a Redis-backed channel never delivers locally, so what arrives came through Redis.
 */
describe("live notifications across two app instances (Redis)", () => {
  const prefix = `crm-test-${randomUUID().slice(0, 8)}`;
  let a: TestApp;
  let b: TestApp;
  let bServer: Awaited<ReturnType<typeof listening>>;
  let stream: EventStream | undefined;

  beforeAll(async () => {
    const shared = { REDIS_URL: process.env.REDIS_URL as string, QUEUE_PREFIX: prefix };
    a = await buildTestApp(shared);
    b = await buildTestApp(shared);
    bServer = await listening(b.app);
  });
  afterAll(async () => {
    stream?.close();
    await closeServer(bServer.server);
    await closeLiveNotifications(a.deps.config);
    await closeLiveNotifications(b.deps.config);
    await a.close();
    await b.close();
  });

  it("delivers a signal published by instance A to an SSE client of instance B", async () => {
    const liveA = liveNotificationsFor(a.deps.config);
    const liveB = liveNotificationsFor(b.deps.config);
    expect(liveA).not.toBe(liveB);
    expect(liveA.usesRedis && liveB.usesRedis).toBe(true);

    const owner = await buildUser(a.deps.models, { planCode: "gold" });
    const { business } = await buildBusiness(a.deps.models, { owner });
    stream = await openEventStream(
      `${bServer.url}/notifications/live`,
      await sessionCookie(bServer.url, owner.email),
    );
    expect(JSON.parse((await stream.next()).data)).toMatchObject({ count: 0 });
    expect(liveB.listenerCount({ userId: owner.id, businessId: business.id })).toBe(1);

    // Instance A writes the notification and signals it: only through Redis can B hear it.
    await buildNotification(a.deps.models, { businessId: business.id, userId: owner.id });
    await liveA.publish([{ userId: owner.id, businessId: business.id }]);
    const event = await stream.next();
    expect(event.event).toBe("unread");
    expect(JSON.parse(event.data)).toEqual({ count: 1, badge: "1" });
  });
});

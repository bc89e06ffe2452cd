import { buildMember } from "../../test/factories";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { useTestDatabase } from "../../test/support/database";
import { systemContextFor } from "../../test/support/deps";
import { waitForMail } from "../../test/support/outbox";
import { startReceiver, type TestReceiver } from "../../test/support/webhookReceiver";
import {
  deliveriesOf,
  enterpriseBusiness,
  runAttempt,
  verifiedByReceiver,
  webhookWorld,
} from "../../test/support/webhooks";
import { bindJob } from "../jobs/define";
import { JobDeferred } from "../jobs/queue";
import { mailJobs } from "../../workers/processors/mail";
import { attemptDelivery } from "./deliver";
import { rotateSecret } from "./manage";
import { deliveryJobId } from "./publish";

/**
 * Deliveries to a receiver on 127.0.0.1 (WEBHOOKS_ALLOW_PRIVATE_HOSTS on, as tests need), on a
 * fake clock: each attempt is the job's own work (attemptDelivery), run when the test says.
 */
const db = useTestDatabase();
let receiver: TestReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe("delivery attempts", () => {
  it("retries a failing receiver with growing, jittered waits and the same event id until it answers 2xx", async () => {
    const { deps, clock, queue } = webhookWorld(db.current);
    const { business } = await enterpriseBusiness(db.current, deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    receiver.answer = () => (receiver.received.length <= 2 ? 503 : 204);

    await runAttempt(db.current, deps, business, delivery);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: 503 });
    const firstWait = delivery.nextAttemptAt!.getTime() - clock.nowMs();
    expect(firstWait).toBeGreaterThanOrEqual(24_000);
    expect(firstWait).toBeLessThanOrEqual(36_000);
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("delayed");
    // Too early: the job waits for its time instead of sending.
    await expect(runAttempt(db.current, deps, business, delivery)).rejects.toBeInstanceOf(
      JobDeferred,
    );
    expect(receiver.received).toHaveLength(1);

    await clock.set(delivery.nextAttemptAt!);
    await runAttempt(db.current, deps, business, delivery);
    const secondWait = delivery.nextAttemptAt!.getTime() - clock.nowMs();
    expect(secondWait).toBeGreaterThanOrEqual(48_000);
    expect(secondWait).toBeLessThanOrEqual(72_000);
    await clock.set(delivery.nextAttemptAt!);
    await runAttempt(db.current, deps, business, delivery);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, responseStatus: 204 });
    expect(delivery.nextAttemptAt).toBeNull();
    const ids = receiver.received.map((hook) => hook.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(1);
    const stamps = receiver.received.map((hook) => hook.headers["webhook-timestamp"]);
    expect(new Set(stamps).size).toBe(3);
    expect(await endpoint.reload()).toMatchObject({ consecutiveFailures: 0, failingSince: null });
  });

  it("signs with the old and the new secret for a day after a rotation", async () => {
    const { deps, clock } = webhookWorld(db.current);
    const { business, ctx } = await enterpriseBusiness(db.current, deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const old = endpoint.secret;
    await rotateSecret(deps, ctx, endpoint);
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(db.current, deps, business, delivery);
    const now = clock.nowMs() / 1000;
    expect(verifiedByReceiver(receiver.received[0]!, old, now)).toBe(true);
    expect(verifiedByReceiver(receiver.received[0]!, endpoint.secret, now)).toBe(true);
    await clock.advance(24 * 3_600_000);
    const { delivery: later } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(db.current, deps, business, later);
    const after = clock.nowMs() / 1000;
    expect(verifiedByReceiver(receiver.received[1]!, old, after)).toBe(false);
    expect(verifiedByReceiver(receiver.received[1]!, endpoint.secret, after)).toBe(true);
  });

  it("counts no answer within the timeout as a failed attempt", async () => {
    const { deps } = webhookWorld(db.current, { WEBHOOK_TIMEOUT_MS: "300" });
    const { business } = await enterpriseBusiness(db.current, deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    receiver.answer = () => "hang";
    await runAttempt(db.current, deps, business, delivery);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(delivery.lastError).toContain("No answer within 300 ms");
    expect(delivery.durationMs).toBeGreaterThanOrEqual(250);
  });

  it("gives up after a day, then disables the endpoint, cancels what it was owed and tells owners and admins", async () => {
    const { deps, clock, queue } = webhookWorld(db.current);
    // Only mail is worked here: the delivery's own jobs are run by the test, one at a time.
    for (const job of mailJobs) queue.register(bindJob(job, deps));
    await queue.startWorkers();
    const { business, owner } = await enterpriseBusiness(db.current, deps);
    const { user: admin } = await buildMember(deps.models, business, "admin");
    const { user: manager } = await buildMember(deps.models, business, "manager");
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    const start = clock.nowMs();
    receiver.answer = () => 500;

    let attempts = 0;
    while (delivery.status === "pending" && attempts < 100) {
      if (delivery.nextAttemptAt) await clock.set(delivery.nextAttemptAt);
      // A later event to the same endpoint, still owed when it is disabled.
      if (attempts === 20) await buildWebhookDelivery(deps, business, endpoint);
      await runAttempt(db.current, deps, business, delivery);
      attempts++;
    }
    expect(delivery.status).toBe("failed");
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
    expect(delivery.lastAttemptAt!.getTime() - start).toBeLessThanOrEqual(24 * 3_600_000);
    expect(delivery.lastAttemptAt!.getTime() - start).toBeGreaterThan(22 * 3_600_000);

    await endpoint.reload();
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toContain("every delivery failed for 24 hours");
    const [, later] = await deliveriesOf(deps, business);
    expect(later).toMatchObject({ status: "cancelled" });
    const notices = await deps.models.Notification.findAll({
      where: { businessId: business.id, kind: "webhook_disabled" },
    });
    expect(notices.map((n) => n.userId).sort()).toEqual([owner.id, admin.id].sort());
    expect(notices.map((n) => n.userId)).not.toContain(manager.id);
    expect(notices[0]!.link).toBe(`/settings/webhooks/${endpoint.id}`);
    const mail = await waitForMail(admin.email, { template: "webhook-disabled" });
    expect(mail.text).toContain(endpoint.url);
    expect(mail.text).toContain(`/settings/webhooks/${endpoint.id}`);
    await waitForMail(owner.email, { template: "webhook-disabled" });
  });

  it("refuses at delivery time a host that now resolves to a private address (DNS rebinding), without connecting", async () => {
    const { deps } = webhookWorld(db.current, { WEBHOOKS_ALLOW_PRIVATE_HOSTS: "false" });
    const { business } = await enterpriseBusiness(db.current, deps);
    const port = new URL(receiver.url).port;
    const endpoint = await buildWebhookEndpoint(deps.models, business, {
      url: `http://hooks.example.com:${port}/crm`,
    });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    const ctx = await systemContextFor(db.current, business);
    await attemptDelivery(
      deps,
      ctx,
      { businessId: business.id, userId: null, deliveryId: delivery.id, attempts: 0, epoch: 0 },
      { resolve: () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]) },
    );
    await delivery.reload();
    expect(receiver.received).toHaveLength(0);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(delivery.lastError).toMatch(/^Not sent: .*private, loopback/);
  });

  it("skips a job older than the row (its attempt happened) and one for another business's delivery", async () => {
    const { deps } = webhookWorld(db.current);
    const { business } = await enterpriseBusiness(db.current, deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(db.current, deps, business, delivery);
    expect(receiver.received).toHaveLength(1);
    const ctx = await systemContextFor(db.current, business);
    // The same job again (a stalled job run twice): the row says its attempt is done.
    await attemptDelivery(deps, ctx, {
      businessId: business.id,
      userId: null,
      deliveryId: delivery.id,
      attempts: 0,
      epoch: 0,
    });
    const { business: other } = await enterpriseBusiness(db.current, deps);
    const { delivery: theirs } = await buildWebhookDelivery(
      deps,
      other,
      await buildWebhookEndpoint(deps.models, other, { url: receiver.url }),
    );
    await attemptDelivery(deps, ctx, {
      businessId: business.id,
      userId: null,
      deliveryId: theirs.id,
      attempts: 0,
      epoch: 0,
    });
    expect(receiver.received).toHaveLength(1);
    expect(await theirs.reload()).toMatchObject({ status: "pending", attempts: 0 });
  });
});

import { buildBusiness, buildUser } from "../../test/factories";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { useTestDatabase } from "../../test/support/database";
import { systemContextFor } from "../../test/support/deps";
import { startReceiver, type TestReceiver } from "../../test/support/webhookReceiver";
import { webhookWorld } from "../../test/support/webhooks";
import { claimLease } from "../db/lease";
import type { Deps } from "../deps";
import { attemptDelivery, leaseMarginMs } from "./deliver";
import { deliveryJobId } from "./publish";
import { webhookDeliveryStep } from "./reconcile";

/**
 * The database says what is owed: the reconcile step queues every pending delivery again — after a
 * Redis loss (its job gone) or a worker killed mid-request (its claim runs out) — under the id its
 * row names, so a job the queue still holds is not doubled.
 */
const db = useTestDatabase();
let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

function world() {
  const { deps, clock, queue } = webhookWorld(
    db.current,
    { WEBHOOK_TIMEOUT_MS: "2000" },
    "2030-06-01T09:00:00Z",
  );
  const run = (horizon: Date | null = null) =>
    webhookDeliveryStep.run({
      ...deps,
      now: clock.now(),
      horizon,
      pass: horizon ? "periodic" : "start",
    });
  return { deps, clock, queue, run };
}

async function business(deps: Deps) {
  const owner = await buildUser(deps.models, { planCode: "enterprise" });
  return (await buildBusiness(deps.models, { owner })).business;
}

describe("re-queuing owed webhook deliveries", () => {
  it("queues a pending delivery whose job was lost, once, and its job delivers it", async () => {
    const { deps, queue, run } = world();
    const b = await business(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, b, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, b, endpoint);
    const before = receiver.received.length;
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("unknown");

    expect(await run()).toBeGreaterThanOrEqual(1);
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("waiting");
    await run();
    expect(await queue.state("webhooks", `${deliveryJobId(delivery)}-r2`)).toBe("unknown");

    const ctx = await systemContextFor(db.current, b);
    await attemptDelivery(deps, ctx, {
      businessId: b.id,
      userId: null,
      deliveryId: delivery.id,
      attempts: 0,
      epoch: 0,
    });
    expect(await delivery.reload()).toMatchObject({ status: "delivered" });
    expect(receiver.received.length).toBe(before + 1);
  });

  it("leaves a claimed attempt alone until its claim runs out, then queues it under a new job id", async () => {
    const { deps, clock, queue, run } = world();
    const b = await business(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, b, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, b, endpoint);
    // A worker claims the attempt and is killed before it records anything.
    const claim = await claimLease(
      deps,
      { table: "webhook_deliveries", id: delivery.id, scope: { business_id: b.id } },
      { durationMs: deps.config.WEBHOOK_TIMEOUT_MS + leaseMarginMs },
    );
    expect(claim.kind).toBe("claimed");
    await run();
    await delivery.reload();
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("unknown");

    await clock.advance(deps.config.WEBHOOK_TIMEOUT_MS + leaseMarginMs + 1);
    await run();
    expect(deliveryJobId(delivery)).toBe(`webhook-${delivery.id}-a0-e1`);
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("waiting");
    const ctx = await systemContextFor(db.current, b);
    // The killed worker's own job, run again by the queue later, is stale: the row moved on.
    await attemptDelivery(deps, ctx, {
      businessId: b.id,
      userId: null,
      deliveryId: delivery.id,
      attempts: 0,
      epoch: 0,
    });
    expect(await delivery.reload()).toMatchObject({ status: "pending", attempts: 0 });
    await attemptDelivery(deps, ctx, {
      businessId: b.id,
      userId: null,
      deliveryId: delivery.id,
      attempts: 0,
      epoch: 1,
    });
    expect(await delivery.reload()).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("on periodic passes, queues only retries due before the horizon", async () => {
    const { deps, clock, queue, run } = world();
    const b = await business(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, b, { url: receiver.url });
    const { delivery: soon } = await buildWebhookDelivery(deps, b, endpoint);
    const { delivery: later } = await buildWebhookDelivery(deps, b, endpoint);
    await soon.update({ attempts: 1, nextAttemptAt: new Date(clock.nowMs() + 30_000) });
    await later.update({ attempts: 5, nextAttemptAt: new Date(clock.nowMs() + 3_600_000) });
    await run(new Date(clock.nowMs() + 60_000));
    expect(await queue.state("webhooks", deliveryJobId(soon))).toBe("delayed");
    expect(await queue.state("webhooks", deliveryJobId(later))).toBe("unknown");
  });
});

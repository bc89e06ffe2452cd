import { createHmac, timingSafeEqual } from "node:crypto";
import { buildBusiness, buildMember, buildUser } from "../../test/factories";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { testConfig } from "../../test/support/config";
import { useTestDatabase } from "../../test/support/database";
import { contextFor, systemContextFor, testDeps } from "../../test/support/deps";
import { waitForMail } from "../../test/support/outbox";
import {
  startReceiver,
  type ReceivedHook,
  type TestReceiver,
} from "../../test/support/webhookReceiver";
import { runBulkAction } from "../commands/customers/bulk";
import { mergeCustomers } from "../commands/customers/merge";
import { createCustomer, deleteCustomers, updateCustomer } from "../commands/customers/writes";
import type { CustomerInput } from "../commands/customers/input";
import type { Deps } from "../deps";
import { bindJob } from "../jobs/define";
import { InProcessQueue } from "../jobs/inProcessQueue";
import { JobDeferred } from "../jobs/queue";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import type { Business, WebhookDelivery } from "../models";
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

function world(overrides: Record<string, string> = {}) {
  const clock = new FakeClock("2030-05-01T08:00:00Z");
  const queue = new InProcessQueue(createLogger("silent"), clock);
  const deps: Deps = {
    ...testDeps(db.current, { queue, clock }),
    config: testConfig({ WEBHOOKS_ALLOW_PRIVATE_HOSTS: "true", ...overrides }),
  };
  return { deps, clock, queue };
}

async function enterprise(deps: Deps) {
  const owner = await buildUser(deps.models, { planCode: "enterprise" });
  const { business } = await buildBusiness(deps.models, { owner });
  return { owner, business, ctx: await contextFor(db.current, business, owner) };
}

function input(overrides: Partial<CustomerInput> = {}): CustomerInput {
  return {
    name: "Meera Iyer",
    email: "meera@example.com",
    phoneE164: `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
    whatsappE164: "",
    tags: ["vip"],
    consentAt: null,
    birthDate: null,
    anniversary: null,
    ownerId: null,
    ...overrides,
  };
}

/**
 * A receiver written from README "Outbound webhooks" alone: HMAC-SHA256 with the endpoint's
 * secret over `${Webhook-Timestamp}.${raw body}`, hex, compared in constant time with each `v1=`
 * value of Webhook-Signature; timestamps more than 5 minutes from its clock refused.
 */
function verifiedByReceiver(hook: ReceivedHook, secret: string, nowSeconds: number): boolean {
  const timestamp = String(hook.headers["webhook-timestamp"]);
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${hook.body}`).digest();
  return String(hook.headers["webhook-signature"])
    .split(" ")
    .filter((part) => part.startsWith("v1="))
    .some((part) => {
      const given = Buffer.from(part.slice(3), "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

async function deliveriesOf(deps: Deps, business: Business): Promise<WebhookDelivery[]> {
  return deps.models.WebhookDelivery.findAll({
    where: { businessId: business.id },
    order: [["id", "ASC"]],
  });
}

/** Runs the job of a delivery's current attempt, as its worker would. */
async function runAttempt(deps: Deps, business: Business, delivery: WebhookDelivery) {
  await delivery.reload();
  const ctx = await systemContextFor(db.current, business);
  await attemptDelivery(deps, ctx, {
    businessId: business.id,
    userId: null,
    deliveryId: delivery.id,
    attempts: delivery.attempts,
    epoch: delivery.leaseEpoch,
  });
  await delivery.reload();
}

describe("publishing customer events", () => {
  it("records customer.created with its delivery in the customer's transaction, and the receiver verifies the signed payload", async () => {
    const { deps, clock, queue } = world();
    const { business, ctx } = await enterprise(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    await buildWebhookEndpoint(deps.models, business, {
      url: receiver.url,
      events: ["ticket.created"],
    });
    await buildWebhookEndpoint(deps.models, business, { url: receiver.url, enabled: false });

    const customer = await createCustomer(deps, ctx, input());
    const [delivery, ...others] = await deliveriesOf(deps, business);
    expect(others).toHaveLength(0);
    expect(delivery).toMatchObject({ endpointId: endpoint.id, status: "pending", attempts: 0 });
    // Queued once the transaction committed, under the id the reconciler would use too.
    expect(await queue.state("webhooks", deliveryJobId(delivery!))).toBe("waiting");

    await runAttempt(deps, business, delivery!);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200 });
    const [hook] = receiver.received;
    const body = JSON.parse(hook!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "customer.created",
      business_id: business.id,
      data: { id: customer.id, name: "Meera Iyer", email: "meera@example.com", tags: ["vip"] },
    });
    expect(hook!.headers["webhook-id"]).toBe(body.id);
    expect(hook!.headers["content-type"]).toBe("application/json");
    const now = clock.nowMs() / 1000;
    expect(verifiedByReceiver(hook!, endpoint.secret, now)).toBe(true);
    expect(verifiedByReceiver(hook!, "whsec_other", now)).toBe(false);
    // A replay of the same request ten minutes later is refused by its timestamp.
    expect(verifiedByReceiver(hook!, endpoint.secret, now + 600)).toBe(false);
    const tampered = { ...hook!, body: hook!.body.replace("Meera", "Mira") };
    expect(verifiedByReceiver(tampered, endpoint.secret, now)).toBe(false);
  });

  it("publishes customer.updated with what changed and customer.deleted with the customer", async () => {
    const { deps } = world();
    const { business, ctx } = await enterprise(deps);
    await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const customer = await createCustomer(deps, ctx, input());
    await updateCustomer(
      deps,
      ctx,
      customer,
      input({ name: "Meera Rao", tags: ["gold"], phoneE164: customer.phoneE164 }),
    );
    await deleteCustomers(deps, ctx, [customer.id]);
    const events = await deps.models.WebhookEvent.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    const bodies = events.map(
      (e) => JSON.parse(e.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => b.type)).toEqual([
      "customer.created",
      "customer.updated",
      "customer.deleted",
    ]);
    expect(bodies[1]!.data).toMatchObject({
      name: "Meera Rao",
      tags: ["gold"],
      changes: { name: ["Meera Iyer", "Meera Rao"], tags: [["vip"], ["gold"]] },
    });
    expect(bodies[2]!.data).toMatchObject({ id: customer.id, name: "Meera Rao" });
    expect(new Set(events.map((e) => e.publicId)).size).toBe(3);
  });

  it("publishes customer.updated for each customer a bulk action tags or hands over, and customer.deleted for a bulk delete", async () => {
    const { deps } = world();
    const { business, ctx, owner } = await enterprise(deps);
    const first = await createCustomer(deps, ctx, input({ tags: [] }));
    const second = await createCustomer(deps, ctx, input({ tags: ["vip"] }));
    await buildWebhookEndpoint(deps.models, business, {
      url: receiver.url,
      events: ["customer.updated", "customer.deleted"],
    });
    const ids = { ids: [first.id, second.id] };
    await runBulkAction(deps, ctx, ids, { action: "tag", tags: ["diwali"] });
    await runBulkAction(deps, ctx, ids, { action: "assign", ownerId: owner.id });
    await runBulkAction(deps, ctx, ids, { action: "delete" });
    const events = await deps.models.WebhookEvent.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    const bodies = events.map(
      (e) => JSON.parse(e.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => [b.type, b.data.id])).toEqual([
      ["customer.updated", first.id],
      ["customer.updated", second.id],
      ["customer.updated", first.id],
      ["customer.updated", second.id],
      ["customer.deleted", first.id],
      ["customer.deleted", second.id],
    ]);
    expect(bodies[1]!.data).toMatchObject({
      tags: ["diwali", "vip"],
      changes: { tagsAdded: ["diwali"] },
    });
    expect(bodies[2]!.data).toMatchObject({ changes: { ownerId: [null, String(owner.id)] } });
    expect(await deliveriesOf(deps, business)).toHaveLength(6);
  });

  it("publishes a merge as customer.deleted for the duplicate and customer.updated for the survivor", async () => {
    const { deps } = world();
    const { business, ctx } = await enterprise(deps);
    const survivor = await createCustomer(deps, ctx, input({ tags: ["vip"] }));
    const duplicate = await createCustomer(deps, ctx, input({ tags: ["gold"] }));
    await buildWebhookEndpoint(deps.models, business, {
      url: receiver.url,
      events: ["customer.updated", "customer.deleted"],
    });
    await mergeCustomers(deps, ctx, survivor, duplicate, {});
    const events = await deps.models.WebhookEvent.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    const bodies = events.map(
      (e) => JSON.parse(e.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies).toMatchObject([
      { type: "customer.deleted", data: { id: duplicate.id, mergedInto: survivor.id } },
      {
        type: "customer.updated",
        data: { id: survivor.id, tags: ["gold", "vip"], changes: { mergedId: duplicate.id } },
      },
    ]);
  });

  it("records nothing for a change that rolls back, nor for a business whose plan has no webhooks", async () => {
    const { deps } = world();
    const { business, ctx } = await enterprise(deps);
    await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const first = await createCustomer(deps, ctx, input());
    // Same phone: refused after the checks began, inside the transaction.
    await expect(
      createCustomer(deps, ctx, input({ phoneE164: first.phoneE164 })),
    ).rejects.toThrow();
    expect(await deliveriesOf(deps, business)).toHaveLength(1);

    const gold = await buildUser(deps.models, { planCode: "gold" });
    const { business: small } = await buildBusiness(deps.models, { owner: gold });
    await buildWebhookEndpoint(deps.models, small, { url: receiver.url });
    await createCustomer(deps, await contextFor(db.current, small, gold), input());
    expect(await deliveriesOf(deps, small)).toHaveLength(0);
  });
});

describe("delivery attempts", () => {
  it("retries a failing receiver with growing, jittered waits and the same event id until it answers 2xx", async () => {
    const { deps, clock, queue } = world();
    const { business } = await enterprise(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    receiver.answer = () => (receiver.received.length <= 2 ? 503 : 204);

    await runAttempt(deps, business, delivery);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: 503 });
    const firstWait = delivery.nextAttemptAt!.getTime() - clock.nowMs();
    expect(firstWait).toBeGreaterThanOrEqual(24_000);
    expect(firstWait).toBeLessThanOrEqual(36_000);
    expect(await queue.state("webhooks", deliveryJobId(delivery))).toBe("delayed");
    // Too early: the job waits for its time instead of sending.
    await expect(runAttempt(deps, business, delivery)).rejects.toBeInstanceOf(JobDeferred);
    expect(receiver.received).toHaveLength(1);

    await clock.set(delivery.nextAttemptAt!);
    await runAttempt(deps, business, delivery);
    const secondWait = delivery.nextAttemptAt!.getTime() - clock.nowMs();
    expect(secondWait).toBeGreaterThanOrEqual(48_000);
    expect(secondWait).toBeLessThanOrEqual(72_000);
    await clock.set(delivery.nextAttemptAt!);
    await runAttempt(deps, business, delivery);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, responseStatus: 204 });
    expect(delivery.nextAttemptAt).toBeNull();
    const ids = receiver.received.map((hook) => hook.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(1);
    const stamps = receiver.received.map((hook) => hook.headers["webhook-timestamp"]);
    expect(new Set(stamps).size).toBe(3);
    expect(await endpoint.reload()).toMatchObject({ consecutiveFailures: 0, failingSince: null });
  });

  it("signs with the old and the new secret for a day after a rotation", async () => {
    const { deps, clock } = world();
    const { business, ctx } = await enterprise(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const old = endpoint.secret;
    await rotateSecret(deps, ctx, endpoint);
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(deps, business, delivery);
    const now = clock.nowMs() / 1000;
    expect(verifiedByReceiver(receiver.received[0]!, old, now)).toBe(true);
    expect(verifiedByReceiver(receiver.received[0]!, endpoint.secret, now)).toBe(true);
    await clock.advance(24 * 3_600_000);
    const { delivery: later } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(deps, business, later);
    const after = clock.nowMs() / 1000;
    expect(verifiedByReceiver(receiver.received[1]!, old, after)).toBe(false);
    expect(verifiedByReceiver(receiver.received[1]!, endpoint.secret, after)).toBe(true);
  });

  it("counts no answer within the timeout as a failed attempt", async () => {
    const { deps } = world({ WEBHOOK_TIMEOUT_MS: "300" });
    const { business } = await enterprise(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    receiver.answer = () => "hang";
    await runAttempt(deps, business, delivery);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(delivery.lastError).toContain("No answer within 300 ms");
    expect(delivery.durationMs).toBeGreaterThanOrEqual(250);
  });

  it("gives up after a day, then disables the endpoint, cancels what it was owed and tells owners and admins", async () => {
    const { deps, clock, queue } = world();
    // Only mail is worked here: the delivery's own jobs are run by the test, one at a time.
    for (const job of mailJobs) queue.register(bindJob(job, deps));
    await queue.startWorkers();
    const { business, owner } = await enterprise(deps);
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
      await runAttempt(deps, business, delivery);
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
    const { deps } = world({ WEBHOOKS_ALLOW_PRIVATE_HOSTS: "false" });
    const { business } = await enterprise(deps);
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
    const { deps } = world();
    const { business } = await enterprise(deps);
    const endpoint = await buildWebhookEndpoint(deps.models, business, { url: receiver.url });
    const { delivery } = await buildWebhookDelivery(deps, business, endpoint);
    await runAttempt(deps, business, delivery);
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
    const { business: other } = await enterprise(deps);
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

import { buildBusiness, buildUser } from "../../test/factories";
import { buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { useTestDatabase } from "../../test/support/database";
import { contextFor } from "../../test/support/deps";
import { startReceiver, type TestReceiver } from "../../test/support/webhookReceiver";
import {
  deliveriesOf,
  enterpriseBusiness,
  runAttempt,
  verifiedByReceiver,
  webhookWorld,
} from "../../test/support/webhooks";
import { runBulkAction } from "../commands/customers/bulk";
import { mergeCustomers } from "../commands/customers/merge";
import { createCustomer, deleteCustomers, updateCustomer } from "../commands/customers/writes";
import type { CustomerInput } from "../commands/customers/input";
import { deliveryJobId } from "./publish";

/**
 * Customer changes publish their webhook events (and a delivery per endpoint that wants them) in
 * the change's own transaction; a receiver on 127.0.0.1 takes the signed payload.
 */
const db = useTestDatabase();
let receiver: TestReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

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

describe("publishing customer events", () => {
  it("records customer.created with its delivery in the customer's transaction, and the receiver verifies the signed payload", async () => {
    const { deps, clock, queue } = webhookWorld(db.current);
    const { business, ctx } = await enterpriseBusiness(db.current, deps);
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

    await runAttempt(db.current, deps, business, delivery!);
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
    const { deps } = webhookWorld(db.current);
    const { business, ctx } = await enterpriseBusiness(db.current, deps);
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
    const { deps } = webhookWorld(db.current);
    const { business, ctx, owner } = await enterpriseBusiness(db.current, deps);
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
    const { deps } = webhookWorld(db.current);
    const { business, ctx } = await enterpriseBusiness(db.current, deps);
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
    const { deps } = webhookWorld(db.current);
    const { business, ctx } = await enterpriseBusiness(db.current, deps);
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

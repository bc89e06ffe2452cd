import { useTestDatabase } from "../../../test/support/database";
import { testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildUser } from "../../../test/factories";
import { buildRecipient, buildSendCampaign } from "../../../test/factoriesCampaignSends";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import type { Business } from "../../models";
import { businessScope } from "../../tenancy/scope";
import { optOutCustomer } from "./optOut";
import { applyRecipientStatus, type ReportedStatus } from "./recipientStatus";

const db = useTestDatabase();

describe("recipient statuses and opt-outs", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let deps: Deps;
  let business: Business;

  beforeAll(async () => {
    deps = testDeps(db.current, { clock });
    const owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner }));
  });

  const at = (minutes: number) => new Date(Date.parse("2026-12-01T04:00:00Z") + minutes * 60_000);

  it("moves statuses forward only: any order and duplicates give the same row", async () => {
    const campaign = await buildSendCampaign(db.current.models, business);
    const events: Array<[ReportedStatus, number]> = [
      ["sent", 1],
      ["delivered", 2],
      ["read", 5],
    ];
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0, 2, 1, 0],
      [2, 0, 2],
    ];
    for (const order of orders) {
      const row = await buildRecipient(db.current.models, business, campaign, { status: "sent" });
      for (const index of order) {
        const [status, minute] = events[index]!;
        const outcome = await applyRecipientStatus(deps, businessScope(business.id), {
          providerMessageId: row.providerMessageId!,
          status,
          at: at(minute),
        });
        expect(outcome).toBe("applied");
      }
      await row.reload();
      expect(row.status).toBe("read");
      expect(row.readAt?.toISOString()).toBe(at(5).toISOString());
      // Read without delivered fills delivered too ([2, 0, 2]: the read's time).
      const delivered = order.includes(1) ? at(2) : at(5);
      expect(row.deliveredAt?.toISOString()).toBe(delivered.toISOString());
    }
  });

  it("keeps a failure final and records its reason; unknown ids are said so", async () => {
    const campaign = await buildSendCampaign(db.current.models, business);
    const row = await buildRecipient(db.current.models, business, campaign, { status: "sent" });
    const scope = businessScope(business.id);
    const id = row.providerMessageId!;
    await applyRecipientStatus(deps, scope, {
      providerMessageId: id,
      status: "failed",
      at: at(3),
      errorCode: "131026",
      errorReason: "Message undeliverable",
    });
    await applyRecipientStatus(deps, scope, {
      providerMessageId: id,
      status: "delivered",
      at: at(4),
    });
    await row.reload();
    expect(row).toMatchObject({ status: "failed", errorCode: "131026", retryable: false });
    expect(row.errorReason).toBe("Message undeliverable");
    expect(
      await applyRecipientStatus(deps, scope, {
        providerMessageId: "wamid.nobody",
        status: "read",
        at: at(1),
      }),
    ).toBe("not_found");
  });

  it("never applies a status to another business's recipient", async () => {
    const campaign = await buildSendCampaign(db.current.models, business);
    const row = await buildRecipient(db.current.models, business, campaign, { status: "sent" });
    const { business: other } = await buildBusiness(db.current.models);
    const outcome = await applyRecipientStatus(deps, businessScope(other.id), {
      providerMessageId: row.providerMessageId!,
      status: "read",
      at: at(1),
    });
    expect(outcome).toBe("not_found");
    expect((await row.reload()).status).toBe("sent");
  });

  it("opts a customer out: queued rows in every campaign withdrawn, one timeline entry", async () => {
    const { models } = db.current;
    const customer = await buildCustomer(models, business, { name: "Stop Sender" });
    const first = await buildSendCampaign(models, business);
    const second = await buildSendCampaign(models, business);
    const queued = await buildRecipient(models, business, first, { customer });
    const alsoQueued = await buildRecipient(models, business, second, { customer });
    const earlier = await buildSendCampaign(models, business);
    const sent = await buildRecipient(models, business, earlier, { customer, status: "sent" });
    const scope = businessScope(business.id);
    const result = await optOutCustomer(deps, scope, {
      customerId: customer.id,
      reason: "Replied STOP",
      channel: "whatsapp",
    });
    expect(result).toEqual({ optedOut: true, withdrawn: 2 });
    expect((await queued.reload()).status).toBe("opted_out");
    expect((await alsoQueued.reload()).status).toBe("opted_out");
    expect((await sent.reload()).status).toBe("sent");
    await customer.reload();
    expect(customer.marketingOptedOutAt?.toISOString()).toBe("2026-12-01T04:00:00.000Z");
    expect(customer.marketingOptOutReason).toBe("Replied STOP");
    const again = await optOutCustomer(deps, scope, {
      customerId: customer.id,
      reason: "Replied STOP",
      channel: "whatsapp",
    });
    expect(again).toEqual({ optedOut: false, withdrawn: 0 });
    const events = await models.TimelineEvent.findAll({
      where: { businessId: business.id, customerId: customer.id, kind: "marketing_opted_out" },
    });
    expect(events).toHaveLength(1);
  });
});

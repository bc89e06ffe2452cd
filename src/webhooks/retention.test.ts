import { buildBusiness, buildUser } from "../../test/factories";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { useTestDatabase } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import { purgeExpired } from "../commands/housekeeping/purgeExpired";
import { FakeClock } from "../lib/clock";

const db = useTestDatabase();

describe("the webhook delivery log's retention", () => {
  it("deletes finished deliveries and their unused events after WEBHOOK_LOG_DAYS, never owed ones", async () => {
    const clock = new FakeClock("2030-02-01T00:00:00Z");
    const deps = testDeps(db.current, { clock });
    const owner = await buildUser(deps.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(deps.models, { owner });
    const endpoint = await buildWebhookEndpoint(deps.models, business);
    const old = await buildWebhookDelivery(deps, business, endpoint);
    await old.delivery.update({ status: "delivered" });
    const owed = await buildWebhookDelivery(deps, business, endpoint);
    const replayed = await buildWebhookDelivery(deps, business, endpoint);
    await replayed.delivery.update({ status: "failed" });

    await clock.advance((deps.config.WEBHOOK_LOG_DAYS - 1) * 86_400_000);
    // A replay made later keeps its event, however old the event is.
    const replay = await deps.models.WebhookDelivery.create({
      businessId: business.id,
      endpointId: endpoint.id,
      eventId: replayed.event.id,
      status: "delivered",
      nextAttemptAt: null,
      createdAt: clock.now(),
    });
    await clock.advance(2 * 86_400_000);
    const purged = await purgeExpired(deps);
    expect(purged.webhooks.deliveries).toBeGreaterThanOrEqual(2);

    const left = await deps.models.WebhookDelivery.findAll({ where: { endpointId: endpoint.id } });
    expect(left.map((d) => d.id).sort()).toEqual([owed.delivery.id, replay.id].sort());
    const events = await deps.models.WebhookEvent.findAll({ where: { businessId: business.id } });
    expect(events.map((e) => e.id).sort()).toEqual([owed.event.id, replayed.event.id].sort());
  });
});

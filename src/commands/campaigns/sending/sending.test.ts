import { useTestDatabase } from "../../../../test/support/database";
import { contextFor, testDeps } from "../../../../test/support/deps";
import { buildSendWorld } from "../../../../test/factoriesCampaignSends";
import { WhatsAppCloudStandIn } from "../../../../test/standins/whatsappCloud";
import { registerProcessors } from "../../../../workers/processors";
import type { Deps } from "../../../deps";
import { InProcessQueue } from "../../../jobs/inProcessQueue";
import { queueDispatcher } from "../../../jobs/dispatcher";
import { systemClock } from "../../../lib/clock";
import { createLogger } from "../../../logger";
import { businessScope } from "../../../tenancy/scope";
import { scheduleSend, resendFailed } from "../lifecycle";
import { applyRecipientStatus } from "../recipientStatus";
import { statusCounts } from "../sendStats";
import { closeSendRateLimiters } from "./limiter";

const db = useTestDatabase();
jest.setTimeout(120_000);

describe("sending a WhatsApp campaign (in-process queue, stand-in Cloud API)", () => {
  const standIn = new WhatsAppCloudStandIn({ statusFlow: ["sent", "delivered", "read"] });
  let deps: Deps;
  let queue: InProcessQueue;

  beforeAll(async () => {
    await standIn.start();
    queue = new InProcessQueue(createLogger("silent"), systemClock);
    const base = testDeps(db.current, { queue });
    deps = {
      ...base,
      jobs: queueDispatcher(queue),
      config: {
        ...base.config,
        WHATSAPP_GRAPH_BASE_URL: standIn.url,
        CAMPAIGN_TICK_MS: 150,
        CAMPAIGN_SEND_GROUP: 10,
      },
    };
    registerProcessors(deps);
    await queue.startWorkers();
  });

  afterAll(async () => {
    await queue.close();
    await closeSendRateLimiters();
    await standIn.stop();
  });

  async function until(check: () => Promise<boolean>, what: string, ms = 60_000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it("sends each recipient once, retries transient errors, fails permanent ones with their reason, and counts replayed statuses exactly", async () => {
    const world = await buildSendWorld(deps, standIn, { count: 60, tier: 1000 });
    const ctx = await contextFor(db.current, world.business, world.owner);
    // Two throughput refusals and a generic error: retried. One number not on WhatsApp: failed.
    standIn.failNext(
      { code: 130429 },
      { code: 131000, status: 500 },
      { code: 130429, status: 429 },
    );
    const customers = await deps.models.Customer.findAll({
      where: { businessId: world.business.id },
      order: [["id", "ASC"]],
    });
    const unreachable = customers[7]!;
    standIn.failRecipient(unreachable.phoneE164, 131026);

    await scheduleSend(deps, ctx, world.campaign, null);
    await until(async () => {
      await world.campaign.reload();
      return world.campaign.sendState === "completed";
    }, "the campaign to complete");

    const counts = await statusCounts(deps, ctx, world.campaign.id);
    expect(counts).toMatchObject({ total: 60, sent: 59, failed: 1, queued: 0, sending: 0 });
    expect(standIn.counts()).toMatchObject({ accepted: 59, duplicateRecipients: 0 });
    const failed = await deps.models.CampaignRecipient.findOne({
      where: { campaignId: world.campaign.id, customerId: unreachable.id },
    });
    expect(failed).toMatchObject({ status: "failed", errorCode: "131026", retryable: false });
    const timeline = await deps.models.TimelineEvent.count({
      where: { businessId: world.business.id, kind: "campaign_message_sent" },
    });
    expect(timeline).toBe(59);

    // Every status three times, shuffled: the same final counts as once, in order.
    const scope = businessScope(world.business.id);
    const events = standIn.sends.flatMap((send, i) =>
      (["sent", "delivered", "read"] as const)
        .filter((status) => status !== "read" || i % 2 === 0)
        .map((status, k) => ({
          id: send.wamid,
          status,
          at: new Date(1_800_000_000_000 + k * 1000),
        })),
    );
    const replay = [...events, ...events, ...events];
    for (let i = replay.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [replay[i], replay[j]] = [replay[j]!, replay[i]!];
    }
    for (const e of replay)
      expect(
        await applyRecipientStatus(deps, scope, {
          providerMessageId: e.id,
          status: e.status,
          at: e.at,
        }),
      ).toBe("applied");
    const after = await statusCounts(deps, ctx, world.campaign.id);
    expect(after).toMatchObject({ sent: 0, delivered: 29, read: 30, failed: 1 });

    // Resend to failed: the only failure was permanent, so there is nothing to resend.
    await expect(resendFailed(deps, ctx, world.campaign)).rejects.toThrow(/No recipient failed/);
  });

  it("refuses a send past the plan's campaign messages a month, changing nothing", async () => {
    const world = await buildSendWorld(deps, standIn, { count: 3, planCode: "free" });
    const ctx = await contextFor(db.current, world.business, world.owner);
    await expect(scheduleSend(deps, ctx, world.campaign, null)).rejects.toMatchObject({
      id: "plan_limit",
      details: { limit: "messagesPerMonth", allowed: 0 },
    });
    expect((await world.campaign.reload()).sendState).toBe("draft");
    expect(
      await deps.models.CampaignRecipient.count({ where: { campaignId: world.campaign.id } }),
    ).toBe(0);
  });

  it("pauses at the 24-hour messaging limit with a resume time", async () => {
    const world = await buildSendWorld(deps, standIn, {
      count: 30,
      tier: 1000,
      messagingLimit: 20,
    });
    const ctx = await contextFor(db.current, world.business, world.owner);
    await scheduleSend(deps, ctx, world.campaign, null);
    await until(async () => {
      await world.campaign.reload();
      return world.campaign.sendState === "paused";
    }, "the campaign to pause");
    const counts = await statusCounts(deps, ctx, world.campaign.id);
    expect(counts.sent).toBe(20);
    expect(counts.queued).toBe(10);
    expect(world.campaign.pausedReason).toBe("messaging_limit");
    expect(world.campaign.resumeAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });
});

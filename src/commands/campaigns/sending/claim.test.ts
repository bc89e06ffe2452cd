import {
  buildRecipient,
  buildRecipientsInRanges,
  buildSendCampaign,
  buildSendWorld,
} from "../../../../test/factoriesCampaignSends";
import { buildBusiness, buildCustomer } from "../../../../test/factories";
import { WhatsAppCloudStandIn } from "../../../../test/standins/whatsappCloud";
import { useTestDatabase } from "../../../../test/support/database";
import { waitFor } from "../../../../test/support/processes";
import { contextFor, systemContextFor, testDeps } from "../../../../test/support/deps";
import type { Deps } from "../../../deps";
import { FakeClock, systemClock } from "../../../lib/clock";
import { runSendBatch, sendBatchSize } from "./batch";
import { claimGroup, keepClaim, markRequested } from "./claim";
import { sweepLostSends } from "./control";
import { closeSendRateLimiters } from "./limiter";

const db = useTestDatabase();
jest.setTimeout(120_000);

describe("claiming recipients: in flight only when the request leaves, the messaging limit reserved", () => {
  const standIn = new WhatsAppCloudStandIn();

  beforeAll(async () => {
    await standIn.start();
  });
  afterAll(async () => {
    await closeSendRateLimiters();
    await standIn.stop();
  });

  /** A sending campaign of three recipients in one id range, and a fake clock's deps. */
  async function threeRecipients() {
    const clock = new FakeClock("2030-03-01T10:00:00Z");
    const deps = testDeps(db.current, { clock });
    const { business } = await buildBusiness(db.current.models);
    const campaign = await buildSendCampaign(db.current.models, business, {
      sendState: "sending",
    });
    for (let i = 0; i < 3; i++) {
      const customer = await buildCustomer(db.current.models, business);
      await buildRecipient(db.current.models, business, campaign, { customer });
    }
    const ctx = await systemContextFor(db.current, business);
    const first = Number(
      await db.current.models.CampaignRecipient.min("id", { where: { campaignId: campaign.id } }),
    );
    const request = {
      campaignId: campaign.id,
      fromId: first - (first % sendBatchSize),
      limit: 3,
      messagingLimit: null,
    };
    return { clock, deps, campaign, ctx, request };
  }

  it("after a crash, a claimed row whose request never left is queued again; one whose request left is unknown", async () => {
    const { clock, deps, campaign, ctx, request } = await threeRecipients();
    const claim = await claimGroup(deps, ctx, request);
    expect(claim.rows).toHaveLength(3);
    expect(claim.rows.map((r) => r.errorCode)).toEqual(
      Array(3).fill(expect.stringMatching(new RegExp(`^claim:${process.pid}\\.`))),
    );
    // The worker marks the first row and dies before its request leaves with the other two.
    const [out, ...never] = claim.rows;
    expect([...(await markRequested(deps, ctx, [out!]))]).toEqual([out!.id]);

    // Within the lease nothing is recovered; after it, each row by what happened to it.
    expect(await sweepLostSends(deps, ctx, campaign.id)).toBe(0);
    await clock.advance(deps.config.CAMPAIGN_SEND_LEASE_MS + 1000);
    expect(await sweepLostSends(deps, ctx, campaign.id)).toBe(3);
    const rows = await db.current.models.CampaignRecipient.findAll({
      where: { campaignId: campaign.id },
      order: [["id", "ASC"]],
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(out!.id)).toMatchObject({ status: "unknown", errorCode: "lost" });
    for (const row of never)
      expect(byId.get(row.id)).toMatchObject({
        status: "queued",
        attempts: 0,
        errorCode: null,
        nextAttemptAt: null,
      });

    // A row taken over by another claim is not this claim's to mark (nor to send).
    const again = await claimGroup(deps, ctx, request);
    expect(again.rows.map((r) => r.id)).toEqual(never.map((r) => r.id));
    expect(await markRequested(deps, ctx, never)).toEqual(new Set());
  });

  it("a group still in hand keeps its lease however long it takes; once let go, the lease runs out", async () => {
    const { clock, deps, campaign, ctx, request } = await threeRecipients();
    const leaseMs = deps.config.CAMPAIGN_SEND_LEASE_MS;
    const claim = await claimGroup(deps, ctx, request);
    expect(claim.rows).toHaveLength(3);
    await markRequested(deps, ctx, [claim.rows[0]!]);
    const leases = async () =>
      (
        await db.current.models.CampaignRecipient.findAll({
          where: { campaignId: campaign.id },
          attributes: ["nextAttemptAt"],
        })
      ).map((r) => r.nextAttemptAt?.getTime());

    // Two whole leases go by while the worker still sends the group (slow slots, slow provider).
    const timersBefore = clock.pending();
    const release = keepClaim(deps, ctx, claim.rows);
    for (let third = 1; third <= 6; third++) {
      await clock.advance(Math.floor(leaseMs / 3));
      const renewedTo = clock.nowMs() + leaseMs;
      // Renewed, and the next renewal is on the clock again: the rows can show the new lease
      // before the renewal's own promise has settled, and time moved on before then would
      // leave the next renewal a third of a lease beyond the next advance (CI, MariaDB).
      await waitFor(
        `the lease renewed at ${third}/3 of a lease`,
        async () =>
          (await leases()).every((at) => at === renewedTo) && clock.pending() === timersBefore + 1,
      );
      expect(await sweepLostSends(deps, ctx, campaign.id)).toBe(0);
    }
    // Let go (its worker died, or the group is done): nothing renews it, and the lease runs out.
    await release();
    await clock.advance(leaseMs + 1000);
    expect(await sweepLostSends(deps, ctx, campaign.id)).toBe(3);
    const statuses = await db.current.models.CampaignRecipient.findAll({
      where: { campaignId: campaign.id },
      attributes: ["status"],
      order: [["id", "ASC"]],
    });
    expect(statuses.map((r) => r.status)).toEqual(["unknown", "queued", "queued"]);
  });

  it("never sends past the 24-hour messaging limit, however many batches claim at once", async () => {
    const base = testDeps(db.current);
    const deps: Deps = {
      ...base,
      clock: systemClock,
      config: { ...base.config, WHATSAPP_GRAPH_BASE_URL: standIn.url, CAMPAIGN_SEND_GROUP: 25 },
    };
    const world = await buildSendWorld(deps, standIn, {
      count: 100,
      tier: 1000,
      messagingLimit: 30,
    });
    const ctx = await contextFor(db.current, world.business, world.owner);
    await world.campaign.update({ sendState: "sending" });
    // The audience in four id ranges of 25 (as a send to thousands is), one batch job each.
    const ranges = await buildRecipientsInRanges(
      db.current.models,
      world.business,
      world.campaign,
      4,
    );
    // Each batch would see 30 allowed and claim 25 if the allowance were read apart from its claim.
    const runs = ranges.map((fromId) =>
      runSendBatch(deps, ctx, { campaignId: world.campaign.id, fromId }),
    );
    const outcomes = await Promise.all(runs);
    expect(outcomes).toContain("stopped");

    const phoneNumberId = world.channel.phoneNumberId!;
    expect(standIn.sends.filter((s) => s.phoneNumberId === phoneNumberId)).toHaveLength(30);
    const counts = await db.current.models.CampaignRecipient.count({
      where: { campaignId: world.campaign.id },
      group: ["status"],
    });
    expect(Object.fromEntries(counts.map((c) => [c.status, c.count]))).toEqual({
      sent: 30,
      queued: 70,
    });
    await world.campaign.reload();
    expect(world.campaign).toMatchObject({ sendState: "paused", pausedReason: "messaging_limit" });
  });
});

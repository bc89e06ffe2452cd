import { buildRecipientsInRanges, buildSendWorld } from "../../../../test/factoriesCampaignSends";
import { WhatsAppCloudStandIn } from "../../../../test/standins/whatsappCloud";
import { useTestDatabase } from "../../../../test/support/database";
import { contextFor, testDeps } from "../../../../test/support/deps";
import type { Deps } from "../../../deps";
import { systemClock } from "../../../lib/clock";
import { runSendBatch } from "./batch";
import { MemoryRateLimiter, type SendRateLimiter } from "./limiter";

const db = useTestDatabase();
jest.setTimeout(60_000);

/**
 * The real in-process limiter, with a stall (the worker's event loop busy) once the group's slots
 * are reserved, so that its sends wake late and ask for fresh slots; the first `failures` of those
 * fail as a lost Redis connection would.
 */
class StallingLimiter implements SendRateLimiter {
  private readonly inner = new MemoryRateLimiter(systemClock);
  private calls = 0;
  failed = 0;

  constructor(
    private readonly groupSize: number,
    private readonly failures: number,
  ) {}

  reserve(key: string, perSecond: number, maxWaitMs: number): Promise<number | null> {
    this.calls += 1;
    if (this.calls === this.groupSize) {
      const until = performance.now() + 100;
      while (performance.now() < until);
    }
    if (this.calls > this.groupSize && this.failed < this.failures) {
      this.failed += 1;
      return Promise.reject(new Error("Connection is closed."));
    }
    return this.inner.reserve(key, perSecond, maxWaitMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe("a send batch keeps its group's outcomes through faults after the requests left", () => {
  const standIn = new WhatsAppCloudStandIn();

  beforeAll(async () => {
    await standIn.start();
  });
  afterAll(async () => {
    await standIn.stop();
  });

  it("a send whose fresh slot cannot be had goes back to the queue, and the group's other sends are recorded as sent", async () => {
    const base = testDeps(db.current);
    const deps: Deps = {
      ...base,
      clock: systemClock,
      // A short lease: outcomes left unwritten would be swept to 'unknown' within the test.
      config: {
        ...base.config,
        WHATSAPP_GRAPH_BASE_URL: standIn.url,
        CAMPAIGN_SEND_GROUP: 10,
        CAMPAIGN_SEND_LEASE_MS: 1000,
      },
    };
    const world = await buildSendWorld(deps, standIn, { count: 10, tier: 1000 });
    const ctx = await contextFor(db.current, world.business, world.owner);
    await world.campaign.update({ sendState: "sending" });
    const [fromId] = await buildRecipientsInRanges(
      db.current.models,
      world.business,
      world.campaign,
      1,
    );
    const { CampaignRecipient } = db.current.models;
    const limiter = new StallingLimiter(10, 3);

    const outcome = await runSendBatch(
      deps,
      ctx,
      { campaignId: world.campaign.id, fromId: fromId! },
      { limiter },
    );

    expect(outcome).toBe("drained");
    expect(limiter.failed).toBe(3);
    const rows = await CampaignRecipient.findAll({
      where: { campaignId: world.campaign.id },
      order: [["id", "ASC"]],
    });
    expect(rows.map((r) => r.status)).toEqual(Array(10).fill("sent"));
    // The three that had no slot went out on their second try; every recipient got one message.
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
    for (const row of rows) expect(standIn.sendsTo(row.address)).toBe(1);
  });
});

import { runSendBatch, sendBatchSize } from "../../src/commands/campaigns/sending/batch";
import type { Deps } from "../../src/deps";
import { closeCampaignTransports } from "../../src/integrations/mail/emailSetup";
import { FakeClock } from "../../src/lib/clock";
import type { Campaign } from "../../src/models";
import { startSmtpSink, type SmtpSink } from "../standins/smtpSink";
import type { TestDatabase } from "./database";
import { systemContextFor, testDeps } from "./deps";

/**
 * An e-mail campaign's world for a describe: the SMTP sink stand-in, deps sending to it on a fixed
 * clock starting at `start`, and `sendAll`, which runs a campaign's batches to the end.
 */
export function useEmailCampaignWorld(db: { current: TestDatabase }, start: string) {
  const world = { clock: new FakeClock(start) } as {
    clock: FakeClock;
    sink: SmtpSink;
    deps: Deps;
  };
  beforeAll(async () => {
    world.sink = await startSmtpSink();
    const base = testDeps(db.current, { clock: world.clock });
    world.deps = { ...base, config: { ...base.config, SMTP_URL: world.sink.url } };
  });
  afterAll(async () => {
    await closeCampaignTransports(world.deps.config);
    await world.sink.close();
  });

  /** Runs the campaign's batches until no row is queued, moving the clock through the backoffs. */
  async function sendAll(campaign: Campaign) {
    const { clock, deps } = world;
    const ctx = await systemContextFor(db.current, { id: campaign.businessId });
    const { CampaignRecipient } = db.current.models;
    for (let round = 0; round < 12; round++) {
      const rows = await CampaignRecipient.findAll({ where: { campaignId: campaign.id } });
      if (rows.every((r) => r.status !== "queued" && r.status !== "sending")) return rows;
      for (const fromId of new Set(rows.map((r) => r.id - (r.id % sendBatchSize)))) {
        let done = false;
        const run = runSendBatch(deps, ctx, { campaignId: campaign.id, fromId }).finally(() => {
          done = true;
        });
        // The batch waits for retries due soon on the clock: move it along meanwhile.
        while (!done) {
          await clock.advance(1000);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        await run;
      }
      await clock.advance(60_000);
    }
    throw new Error("the campaign's rows never all ended");
  }

  return { world, sendAll };
}

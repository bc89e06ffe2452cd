import { randomUUID } from "node:crypto";
import { Op } from "sequelize";
import { buildSendWorld } from "../../../../test/factoriesCampaignSends";
import { testDatabaseUrl, useTestDatabase } from "../../../../test/support/database";
import { contextFor, testDeps } from "../../../../test/support/deps";
import {
  startEntry,
  startRedis,
  waitFor,
  type RunningProcess,
  type TestRedis,
} from "../../../../test/support/processes";
import { WhatsAppCloudStandIn } from "../../../../test/standins/whatsappCloud";
import type { Deps } from "../../../deps";
import { BullmqQueue } from "../../../jobs/bullmqQueue";
import { queueDispatcher } from "../../../jobs/dispatcher";
import { systemClock } from "../../../lib/clock";
import { createLogger } from "../../../logger";
import { scheduleSend } from "../lifecycle";
import { statusCounts } from "../sendStats";
import { closeSendRateLimiters } from "./limiter";

/**
 * Issue 11, Reliability: a campaign of 10,000 recipients at the 1,000 msg/s tier sent by three
 * real worker processes (`npm run worker`) while a working one is killed with SIGKILL five times,
 * and another while Redis restarts empty: every recipient ends with exactly one accepted send at
 * the stand-in, or 'unknown' — and 'unknown' only for a send whose request was out when its
 * worker died (no more than the sends in flight at the kills); none is sent twice; none is left
 * without a final status.
 *
 * After each SIGKILL the test reads, in the database, what the victim had in hand: rows it had
 * claimed (claim token with its pid) with the request out (requested_at) and rows only claimed.
 * The first must end 'unknown', the second sent.
 */
const RECIPIENTS = 10_000;
const KILLS = 5;
/** The Redis-restart run: a smaller campaign, its point is the restart. */
const REDIS_RECIPIENTS = 2000;
/** Rows a batch may mark as requested before their requests leave (batch.ts: waveMax). */
const MARKED_AHEAD_PER_BATCH = 8;
const JOB_CONCURRENCY = 5;
const db = useTestDatabase();
jest.setTimeout(900_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one killed victim had in hand. */
interface InHand {
  /** Claimed rows whose request was out (requested_at set). */
  inFlight: Array<{ id: number; address: string }>;
  /** Of those, requests the stand-in had not received yet (marked just before leaving). */
  notArrived: number;
  /** Claimed rows with no request out. */
  claimedOnly: number[];
}

describe("campaign sending under faults", () => {
  let redis: TestRedis;
  let standIn: WhatsAppCloudStandIn;
  let web: BullmqQueue;
  let env: Record<string, string>;
  let deps: Deps;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    standIn = await new WhatsAppCloudStandIn().start();
    env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
      RECONCILE_INTERVAL_MS: "1000",
      JOB_DISPATCH_TIMEOUT_MS: "500",
      WHATSAPP_GRAPH_BASE_URL: standIn.url,
      CAMPAIGN_TICK_MS: "500",
      CAMPAIGN_SEND_LEASE_MS: "20000",
    };
    web = new BullmqQueue({
      redisUrl: redis.url,
      prefix: env.QUEUE_PREFIX as string,
      logger: createLogger("silent"),
    });
    const base = testDeps(db.current);
    deps = {
      ...base,
      clock: systemClock,
      jobs: queueDispatcher(web, { timeoutMs: 500, clock: systemClock }),
      config: { ...base.config, CAMPAIGN_TICK_MS: 500, REDIS_URL: redis.url },
    };
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    ready.clear();
  });
  afterAll(async () => {
    await web?.close({ timeoutMs: 1000 });
    await closeSendRateLimiters();
    await standIn?.stop();
    await redis?.stop();
  });

  /** Workers that logged "worker started" (and so take jobs). */
  const ready = new Set<RunningProcess>();
  const spawnWorker = () => {
    const worker = startEntry("workers/index.ts", {
      ...env,
      JOB_CONCURRENCY: String(JOB_CONCURRENCY),
    });
    workers.push(worker);
    const started = worker.waitForLog("worker started", 180_000).then(() => {
      ready.add(worker);
    });
    return { worker, started };
  };
  const startWorker = async () => {
    const { worker, started } = spawnWorker();
    await started;
    return worker;
  };

  /** Every row final, each sent row accepted exactly once, no recipient accepted twice. */
  async function expectExactlyOnce(campaignId: number, businessId: number, total: number) {
    const rows = await db.current.models.CampaignRecipient.findAll({
      where: { campaignId, businessId },
      attributes: ["id", "status", "address"],
    });
    expect(rows).toHaveLength(total);
    const unknown = new Set<number>();
    const byStatus = new Map<string, number>();
    for (const row of rows) {
      byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
      const accepted = standIn.sendsTo(row.address);
      if (row.status === "sent") expect(accepted).toBe(1);
      else if (row.status === "unknown") {
        expect(accepted).toBeLessThanOrEqual(1);
        unknown.add(row.id);
      } else throw new Error(`recipient ${row.id} ended ${row.status}`);
    }
    expect(standIn.counts().duplicateRecipients).toBe(0);
    return { statuses: Object.fromEntries(byStatus), unknown, rows };
  }

  async function completed(campaignId: number, what: string, timeoutMs: number) {
    await waitFor(
      what,
      async () =>
        (await db.current.models.Campaign.findByPk(campaignId))?.sendState === "completed",
      { timeoutMs, everyMs: 250 },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\n${workers.map((w) => w.output().slice(-3000)).join("\n")}`,
      );
    });
  }

  /** The ready worker with the most rows claimed now: the kill should catch sends in hand. */
  async function busiest(campaignId: number): Promise<RunningProcess> {
    const candidates = [...ready];
    const claimed = await Promise.all(
      candidates.map((w) =>
        db.current.models.CampaignRecipient.count({
          where: {
            campaignId,
            status: "sending",
            errorCode: { [Op.like]: `claim:${w.child.pid}.%` },
          },
        }),
      ),
    );
    return candidates[claimed.indexOf(Math.max(...claimed))]!;
  }

  /**
   * Kills the victim, then reads what it had in hand. Read after its death, once its
   * last statements have finished at the server (a mark UPDATE waiting on a lock may commit
   * after the freeze): nothing else touches its rows until their lease runs out (20 s).
   */
  async function killAndRead(victim: RunningProcess, campaignId: number): Promise<InHand> {
    victim.child.kill("SIGKILL");
    await victim.exited;
    ready.delete(victim);
    workers.splice(workers.indexOf(victim), 1);
    // Its statements finish or roll back at the server; bytes in flight reach the stand-in.
    await sleep(1000);
    const rows = await db.current.models.CampaignRecipient.findAll({
      where: {
        campaignId,
        status: "sending",
        errorCode: { [Op.like]: `claim:${victim.child.pid}.%` },
      },
      attributes: ["id", "address", "requestedAt"],
    });
    const inFlight = rows.filter((r) => r.requestedAt !== null);
    return {
      inFlight: inFlight.map((r) => ({ id: r.id, address: r.address })),
      notArrived: await settledNotArrived(inFlight),
      claimedOnly: rows.filter((r) => r.requestedAt === null).map((r) => r.id),
    };
  }

  /**
   * Requests of a dead victim the stand-in has not received, once that number stops falling:
   * the stand-in answers in this (loaded) test process, and requests the victim wrote before
   * its death can still be on their way to it a second later (CI once counted 48 then).
   */
  async function settledNotArrived(inFlight: Array<{ address: string }>): Promise<number> {
    const count = () => inFlight.filter((r) => standIn.requestsTo(r.address) === 0).length;
    let last = count();
    for (let stableFor = 0, waited = 0; stableFor < 1000 && waited < 10_000; waited += 250) {
      await sleep(250);
      const now = count();
      stableFor = now === last ? stableFor + 250 : 0;
      last = now;
    }
    return last;
  }

  it(`sends ${RECIPIENTS} recipients exactly once or 'unknown' (only sends in flight) while a worker is SIGKILLed ${KILLS} times`, async () => {
    const world = await buildSendWorld(deps, standIn, { count: RECIPIENTS, tier: 1000 });
    const ctx = await contextFor(db.current, world.business, world.owner);
    await Promise.all([startWorker(), startWorker(), startWorker()]);
    const before = standIn.sends.length;
    await scheduleSend(deps, ctx, world.campaign, null);
    const kills: InHand[] = [];
    let replacement: Promise<void> = Promise.resolve();
    while (kills.length < KILLS) {
      // Kills spread over the send; each takes a worker that is working, and a new one starts.
      const step = (RECIPIENTS * (kills.length + 1)) / (KILLS + 2);
      await waitFor(
        `progress to ${step} sends and a working worker (kill ${kills.length + 1})`,
        () => standIn.sends.length - before >= step && ready.size > 0,
        { timeoutMs: 240_000, everyMs: 10 },
      );
      kills.push(await killAndRead(await busiest(world.campaign.id), world.campaign.id));
      replacement = spawnWorker().started;
    }
    // Generous, and measured from the last replacement's readiness (starting is slow when busy).
    await replacement;
    await completed(world.campaign.id, "the campaign to complete after the kills", 240_000);
    const { statuses, unknown } = await expectExactlyOnce(
      world.campaign.id,
      world.business.id,
      RECIPIENTS,
    );
    const inFlight = new Set(kills.flatMap((k) => k.inFlight.map((r) => r.id)));
    // 'unknown' is exactly the sends in flight at the kills: no more, and each of them. A stray
    // one is shown with its claim, attempts and what the stand-in saw, to say where it came from.
    const stray = [...unknown].filter((id) => !inFlight.has(id));
    const strayRows = await db.current.models.CampaignRecipient.findAll({
      where: { id: stray.length ? stray.slice(0, 10) : [0] },
    });
    // With the running workers' warnings: a failed job or write says why a live worker's sends
    // ended 'unknown' (CI once had 10 strays, not reproduced since).
    const warnings = () =>
      workers.flatMap((w) =>
        w
          .output()
          .split("\n")
          .filter((line) => /"level":(40|50|60)/.test(line))
          .map((line) => line.slice(0, 400)),
      );
    expect(
      strayRows
        .map(
          (r) =>
            `${r.id} ${r.errorCode} attempts=${r.attempts} ${r.errorReason} stand-in=${standIn.requestsTo(r.address)}/${standIn.sendsTo(r.address)}`,
        )
        .concat(stray.length ? warnings().slice(-20) : []),
    ).toEqual([]);
    expect(unknown.size).toBeLessThanOrEqual(inFlight.size);
    expect([...inFlight].filter((id) => !unknown.has(id))).toEqual([]);
    // Rows only claimed by a killed worker went back to the queue and were sent, once — unless
    // the worker that took them over was killed later with one of them in flight (CI, loaded:
    // 167 such rows), which makes it 'unknown' as any send in flight.
    const caughtLater = (from: number) =>
      new Set(kills.slice(from + 1).flatMap((k) => k.inFlight.map((r) => r.id)));
    const claimedOnly = kills.flatMap((k, index) =>
      k.claimedOnly.map((id) => ({ id, inFlightLater: caughtLater(index).has(id) })),
    );
    const ended = await db.current.models.CampaignRecipient.findAll({
      where: { id: claimedOnly.length ? claimedOnly.map((r) => r.id) : [0] },
      attributes: ["id", "status"],
    });
    const endedAs = new Map(ended.map((r) => [r.id, r.status]));
    expect(
      claimedOnly
        .filter((r) => endedAs.get(r.id) !== (r.inFlightLater ? "unknown" : "sent"))
        .map(
          (r) =>
            `${r.id} ended ${endedAs.get(r.id)}, in flight at a later kill: ${r.inFlightLater}`,
        ),
    ).toEqual([]);
    // A row is marked in flight just before its request leaves, not when it is claimed.
    for (const k of kills)
      expect(k.notArrived).toBeLessThanOrEqual(MARKED_AHEAD_PER_BATCH * JOB_CONCURRENCY);
    const counts = await statusCounts(deps, ctx, world.campaign.id);
    expect(counts.total).toBe(RECIPIENTS);
    expect(counts.queued + counts.sending).toBe(0);
    process.stdout.write(
      `[campaign faults] kills=${kills.length} ${JSON.stringify(statuses)} in flight at kills=${kills
        .map((k) => `${k.inFlight.length}(${k.notArrived} not arrived)`)
        .join(",")} claimed only=${kills.map((k) => k.claimedOnly.length).join(",")}\n`,
    );
  });

  it("completes with no duplicate when Redis restarts empty mid-campaign", async () => {
    const world = await buildSendWorld(deps, standIn, { count: REDIS_RECIPIENTS, tier: 200 });
    const ctx = await contextFor(db.current, world.business, world.owner);
    const before = standIn.sends.length;
    await Promise.all([startWorker(), startWorker()]);
    await scheduleSend(deps, ctx, world.campaign, null);
    await waitFor(
      "a third of the sends",
      () => standIn.sends.length - before >= REDIS_RECIPIENTS / 3,
      { timeoutMs: 120_000 },
    );
    await redis.restart();
    await completed(world.campaign.id, "the campaign to complete after Redis restarted", 300_000);
    await expectExactlyOnce(world.campaign.id, world.business.id, REDIS_RECIPIENTS);
  });
});

import { randomUUID } from "node:crypto";
import { Op } from "sequelize";
import { buildBusiness, buildUser } from "../../../test/factories";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { testDatabaseUrl, useTestDatabase } from "../../../test/support/database";
import {
  startEntry,
  startRedis,
  waitFor,
  type RunningProcess,
  type TestRedis,
} from "../../../test/support/processes";
import { SocialStandIn } from "../../../test/standins/social/server";

/**
 * Issue 14, Reliability: a worker killed with SIGKILL in the middle of a publish run of 200
 * scheduled posts. Real worker processes from source (`npm run worker`), a Redis of the test's
 * own, the run's database, the networks' stand-in, real time. No post may reach a network twice
 * (the stand-in counts), and every target ends published, failed or 'unknown' — never stuck.
 */
const db = useTestDatabase();
jest.setTimeout(240_000);

const posts = Number(process.env.SOCIAL_FAULT_POSTS ?? 200);
/** The key startEntry gives worker processes: tokens sealed with it open there. */
const workerSecretsKey = Buffer.from("5e".repeat(32), "hex");

describe("social publishing under a killed worker", () => {
  let redis: TestRedis;
  const standIn = new SocialStandIn();
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    await standIn.start();
    standIn.now = () => Date.now();
  });
  afterAll(async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await standIn.stop();
    await redis?.stop();
  });

  it("publishes 200 scheduled posts with no post twice and none left without a final or unknown status", async () => {
    const owner = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(db.current.models, { owner });
    const accounts = [];
    for (let i = 0; i < 4; i++)
      accounts.push(
        await buildSocialAccount(
          db.current.models,
          business,
          workerSecretsKey,
          i % 2 ? "x" : "linkedin",
          {
            standIn,
            now: new Date(),
          },
        ),
      );
    const tag = randomUUID().slice(0, 8);
    const now = new Date();
    for (let i = 0; i < posts; i++)
      await buildSocialPost(db.current.models, business, [accounts[i % accounts.length]!], {
        text: `Fault run ${tag} post ${i}`,
        scheduledAt: now,
        now,
      });
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
      RECONCILE_INTERVAL_MS: "1000",
      JOB_DISPATCH_TIMEOUT_MS: "500",
      SOCIAL_PUBLISH_TIMEOUT_MS: "2000",
      ...standIn.settings(),
    };
    const sent = () => standIn.posts.filter((p) => p.text.startsWith(`Fault run ${tag} `));
    const start = async () => {
      const worker = startEntry("workers/index.ts", env);
      workers.push(worker);
      await worker.waitForLog("worker started", 90_000);
      return worker;
    };

    const first = await start();
    await waitFor("a quarter of the posts to go out", () => sent().length >= posts / 4, {
      timeoutMs: 120_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output()}`);
    });
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const atKill = sent().length;

    const second = await start();
    const unsettled = () =>
      db.current.models.SocialPostTarget.count({
        where: { businessId: business.id, status: { [Op.in]: ["pending", "publishing"] } },
      });
    await waitFor("every target to settle", async () => (await unsettled()) === 0, {
      timeoutMs: 120_000,
      everyMs: 250,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output()}`);
    });

    const texts = sent().map((p) => p.text);
    const twice = texts.filter((text, i) => texts.indexOf(text) !== i);
    expect(twice).toEqual([]);
    const targets = await db.current.models.SocialPostTarget.findAll({
      where: { businessId: business.id },
    });
    const counts: Record<string, number> = {};
    for (const t of targets) counts[t.status] = (counts[t.status] ?? 0) + 1;
    expect(targets).toHaveLength(posts);
    expect(Object.keys(counts).every((s) => ["published", "failed", "unknown"].includes(s))).toBe(
      true,
    );
    // Every published target reached its network, and nothing reached it unrecorded except
    // publishes left 'unknown' (the worker died between the network's answer and the write).
    expect(counts.published ?? 0).toBeLessThanOrEqual(texts.length);
    expect(texts.length).toBeLessThanOrEqual((counts.published ?? 0) + (counts.unknown ?? 0));
    if (process.env.REPORT_TIMINGS)
      process.stdout.write(
        `[social faults] sent before the kill: ${atKill}; final: ${JSON.stringify(counts)}; at networks: ${texts.length}\n`,
      );
  });
});

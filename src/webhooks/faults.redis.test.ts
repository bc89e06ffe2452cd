import { randomUUID } from "node:crypto";
import { Op } from "sequelize";
import { buildBusiness, buildUser } from "../../test/factories";
import { buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { testDatabaseUrl, useTestDatabase } from "../../test/support/database";
import {
  startEntry,
  startRedis,
  waitFor,
  type RunningProcess,
  type TestRedis,
} from "../../test/support/processes";
import { startReceiver, type TestReceiver } from "../../test/support/webhookReceiver";
import { BullmqQueue } from "../jobs/bullmqQueue";
import { queueDispatcher } from "../jobs/dispatcher";
import { systemClock } from "../lib/clock";
import { createLogger } from "../logger";
import type { Business } from "../models";
import { businessScope } from "../tenancy/scope";
import { publishEvent } from "./publish";

/**
 * Issue 16, Reliability: webhook deliveries survive a worker killed with SIGKILL in the middle of
 * a request and a Redis that restarts empty; every event reaches the receiver at least once, and
 * the receiver can tell repeats by Webhook-Id. Real worker processes from source (`npm run
 * worker`), a Redis server of the test's own, the run's database, real time.
 */
const db = useTestDatabase();
jest.setTimeout(240_000);

const reconcileMs = 1000;
const timeoutMs = 2000;
const report = (what: string, ms: number) => {
  if (process.env.REPORT_TIMINGS)
    process.stdout.write(`[fault timing] ${what}: ${Math.round(ms)} ms\n`);
};

describe("webhook deliveries under faults", () => {
  let redis: TestRedis;
  let receiver: TestReceiver;
  let web: BullmqQueue;
  let env: Record<string, string>;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startReceiver();
    env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
      RECONCILE_INTERVAL_MS: String(reconcileMs),
      JOB_DISPATCH_TIMEOUT_MS: "500",
      WEBHOOKS_ALLOW_PRIVATE_HOSTS: "true",
      WEBHOOK_TIMEOUT_MS: String(timeoutMs),
    };
    web = new BullmqQueue({
      redisUrl: redis.url,
      prefix: env.QUEUE_PREFIX as string,
      logger: createLogger("silent"),
    });
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
  });
  afterAll(async () => {
    await web?.close({ timeoutMs: 1000 });
    await receiver?.close();
    await redis?.stop();
  });

  const startWorker = async () => {
    const worker = startEntry("workers/index.ts", env);
    workers.push(worker);
    await worker.waitForLog("worker started", 60_000);
    return worker;
  };

  /** The web process's side: publishes in its own transaction, dispatches through Redis. */
  const publish = async (business: Business, count: number) => {
    const deps = {
      ...db.current,
      clock: systemClock,
      logger: createLogger("silent"),
      jobs: queueDispatcher(web, { timeoutMs: 500, clock: systemClock }),
    };
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(
        (await publishEvent(deps, businessScope(business.id), "customer.created", { n: i }))!,
      );
    return ids;
  };

  const setUp = async () => {
    const owner = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(db.current.models, { owner });
    const endpoint = await buildWebhookEndpoint(db.current.models, business, {
      url: receiver.url,
    });
    return { business, endpoint };
  };

  const receivedIds = () => new Set(receiver.received.map((h) => String(h.headers["webhook-id"])));

  const allDelivered = (business: Business, what: string, by: () => string) =>
    waitFor(
      what,
      async () =>
        (await db.current.models.WebhookDelivery.count({
          where: { businessId: business.id, status: { [Op.ne]: "delivered" } },
        })) === 0,
      { timeoutMs: 120_000, everyMs: 50 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${by()}`);
    });

  it("sends again the attempt of a worker killed mid-request, and delivers every event at least once", async () => {
    const { business } = await setUp();
    receiver.received.length = 0;
    let hung: string | null = null;
    // The first request never gets an answer: the worker is killed while it waits.
    receiver.answer = (hook) => {
      if (hung === null) {
        hung = String(hook.headers["webhook-id"]);
        return "hang";
      }
      return 200;
    };
    const ids = await publish(business, 20);
    const first = await startWorker();
    await waitFor("the first request", () => hung !== null, { timeoutMs: 30_000 });
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const killedAt = performance.now();
    const hungId = hung as unknown as string;

    const second = await startWorker();
    // The resend is due when the claim has lapsed and a worker is up to see it: on a loaded
    // machine the new worker itself took longer than the claim to boot.
    const dueAt = Math.max(performance.now(), killedAt + timeoutMs + 5000);
    await waitFor(
      "the killed attempt to be sent again",
      () => receiver.received.filter((h) => h.headers["webhook-id"] === hungId).length >= 2,
      { timeoutMs: 60_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output()}`);
    });
    const resentAt = performance.now();
    report("worker SIGKILLed mid-request → the attempt sent again", resentAt - killedAt);
    // The claim lasts the request timeout plus its margin; a reconcile pass follows within a second.
    expect(resentAt - dueAt).toBeLessThan(15_000);
    await allDelivered(business, "every delivery", second.output);
    const allIn = performance.now();
    report("worker SIGKILLed → all 20 delivered", allIn - killedAt);
    // Jobs the killed worker had taken but not claimed are taken over too, without waiting for
    // BullMQ's stalled-job check (30–60 s).
    expect(allIn - dueAt).toBeLessThan(15_000);
    for (const id of ids) expect(receivedIds()).toContain(id);
  });

  it("delivers what Redis lost when it restarted empty: queued jobs, a delayed retry, and events published while it was down", async () => {
    const { business } = await setUp();
    receiver.received.length = 0;
    const failedOnce = new Set<string>();
    // The first event fails once: its retry waits in Redis as a delayed job (about 30 s).
    let firstId: string | null = null;
    receiver.answer = (hook) => {
      const id = String(hook.headers["webhook-id"]);
      if (id === firstId && !failedOnce.has(id)) {
        failedOnce.add(id);
        return 503;
      }
      return 200;
    };
    const worker = await startWorker();
    firstId = (await publish(business, 1))[0] ?? null;
    await waitFor("the first attempt", () => failedOnce.size === 1, { timeoutMs: 30_000 });
    await waitFor(
      "its retry to be recorded",
      async () =>
        (await db.current.models.WebhookDelivery.count({
          where: { businessId: business.id, attempts: 1, status: "pending" },
        })) === 1,
      { timeoutMs: 30_000 },
    );

    // Jobs queued while no worker runs, then Redis restarts empty: all of them are gone.
    worker.child.kill("SIGKILL");
    await worker.exited;
    workers.splice(0);
    const queued = await publish(business, 10);
    const lost = performance.now();
    await redis.stop();
    // Published while Redis is down: the rows are the only record (dispatch gives up quietly).
    const whileDown = await publish(business, 5);
    await redis.start();

    const next = await startWorker();
    await allDelivered(business, "every delivery after the Redis restart", next.output);
    report(
      "Redis restarted empty → all 16 delivered (incl. a ~30 s retry)",
      performance.now() - lost,
    );
    for (const id of [firstId!, ...queued, ...whileDown]) expect(receivedIds()).toContain(id);
    expect(receiver.received.filter((h) => h.headers["webhook-id"] === firstId)).toHaveLength(2);
  });
});

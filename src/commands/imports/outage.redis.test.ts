import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import IORedis from "ioredis";
import { QueryTypes } from "sequelize";
import { buildBusiness, buildUser, uniqueEmail } from "../../../test/factories";
import { testDatabaseUrl, useTestDatabase } from "../../../test/support/database";
import { startById, tempDir, testImportDeps } from "../../../test/support/imports";
import { waitForMail } from "../../../test/support/outbox";
import {
  startEntry,
  startRedis,
  waitFor,
  type RunningProcess,
  type TestRedis,
} from "../../../test/support/processes";
import { BullmqQueue } from "../../jobs/bullmqQueue";
import { queueDispatcher } from "../../jobs/dispatcher";
import { purgeScheduleId } from "../../jobs/housekeeping";
import { JobOutbox } from "../../jobs/outbox";
import { remindersScheduleId } from "../../jobs/reminders";
import { systemClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Import } from "../../models";
import { enqueueImportWork } from "./enqueue";
import { parseSettings } from "./fields";
import { createImport } from "./start";

/**
 * Redis lost while imports are owed: restarted empty mid-import, and down between an upload and
 * its start. The worker process is never restarted: its periodic reconcile re-creates the
 * schedules and re-queues what the database says is owed, and each import finishes exactly once.
 * A Redis server of the test's own (killed and started again), MySQL/MariaDB, real processes.
 */
const db = useTestDatabase();
jest.setTimeout(240_000);

const rows = 3000;
const reconcileMs = 1000;
const report = (what: string, ms: number) => {
  if (process.env.REPORT_TIMINGS)
    process.stdout.write(`[fault timing] ${what}: ${Math.round(ms)} ms\n`);
};

function writeFile(file: string): number {
  const lines = ["name,phone"];
  for (let i = 0; i < rows; i++) lines.push(`Person ${i},${8_000_000_000 + i}`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return rows;
}

describe("imports while Redis is lost", () => {
  let redis: TestRedis;
  let worker: RunningProcess;
  let env: Record<string, string>;
  let web: BullmqQueue;

  beforeAll(async () => {
    redis = await startRedis();
    env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
      UPLOADS_DIR: tempDir("crm-import-outage-"),
      IMPORT_LEASE_SECONDS: "2",
      IMPORT_BATCH_SIZE: "25",
      RECONCILE_INTERVAL_MS: String(reconcileMs),
      JOB_DISPATCH_TIMEOUT_MS: "500",
    };
    worker = startEntry("workers/index.ts", env);
    await worker.waitForLog("worker started", 60_000);
    web = new BullmqQueue({
      redisUrl: redis.url,
      prefix: env.QUEUE_PREFIX as string,
      logger: createLogger("silent"),
    });
  });
  afterAll(async () => {
    await web?.close({ timeoutMs: 1000 });
    worker?.child.kill("SIGKILL");
    await worker?.exited;
    await redis?.stop();
  });

  /** The web process's side: its dispatcher keeps what Redis cannot take in the outbox. */
  const webDeps = () => {
    const deps = testImportDeps(db.current, { uploadsDir: env.UPLOADS_DIR });
    const jobs = queueDispatcher(web, {
      outbox: new JobOutbox(db.current.sequelize, systemClock),
      timeoutMs: 500,
      clock: systemClock,
    });
    return { ...deps, jobs };
  };
  const completed = (record: Import) =>
    waitFor("the import to complete", async () => (await record.reload()).status === "completed", {
      timeoutMs: 120_000,
      everyMs: 50,
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output()}`);
    });

  it("finishes an import exactly once when Redis restarts empty in the middle of it", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = webDeps();
    const file = path.join(tempDir(), "outage.csv");
    const expected = writeFile(file);
    const record = await createImport(
      deps,
      business.id,
      owner.id,
      {
        path: file,
        originalName: "outage.csv",
        size: 1,
      },
      { autoStart: true },
    );
    expect(await enqueueImportWork(deps, record)).toBe(`import-${record.id}-inspect-${record.seq}`);
    await waitFor("rows to be written", async () => (await record.reload()).processedRows >= 500, {
      everyMs: 10,
    });

    // A key nothing re-creates: its absence after the restart shows Redis lost everything, so
    // schedules present afterwards were re-created. (Asking for the schedules themselves raced
    // the worker's reconcile on a busy machine: CI found them back before the first look.)
    const probe = new IORedis(redis.url, { maxRetriesPerRequest: 3 });
    await probe.set("outage-test:marker", "before");
    const lost = performance.now();
    await redis.restart();
    expect(await probe.get("outage-test:marker")).toBeNull();
    probe.disconnect();
    const scheduled = async () => {
      const ids = await web.scheduleIds().catch((): string[] => []);
      return ids.includes(purgeScheduleId) && ids.includes(remindersScheduleId);
    };
    await waitFor("the schedules to be re-created", scheduled, { timeoutMs: 30_000, everyMs: 50 });
    report("Redis restarted empty → schedules re-created", performance.now() - lost);
    await completed(record);
    report("Redis restarted empty mid-import → completed", performance.now() - lost);

    expect(record).toMatchObject({ processedRows: rows, createdCount: expected, failedCount: 0 });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(expected);
    expect(
      await models.Notification.count({ where: { userId: owner.id, kind: "import_finished" } }),
    ).toBe(1);
  });

  it("takes an upload and a start while Redis is down, and runs them once it is back", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = webDeps();
    const file = path.join(tempDir(), "between.csv");
    const expected = writeFile(file);

    // Upload during the outage: answered at once, nothing queued, the import waits.
    await redis.stop();
    const asked = performance.now();
    const record = await createImport(deps, business.id, owner.id, {
      path: file,
      originalName: "between.csv",
      size: 1,
    });
    expect(await enqueueImportWork(deps, record)).toBeNull();
    // Mail that cannot be re-derived from the database waits in the outbox.
    const to = uniqueEmail("outage");
    await deps.jobs.dispatch("send-mail", {
      to,
      template: "password-changed",
      data: { name: "Asha", time: "now" },
    });
    expect(performance.now() - asked).toBeLessThan(3000);
    await new Promise((resolve) => setTimeout(resolve, 2 * reconcileMs));
    expect((await record.reload()).status).toBe("inspecting");

    // Redis is back, empty: the worker's next pass reads the file and sends the mail.
    await redis.start();
    const back = performance.now();
    await waitFor("the file to be read", async () => (await record.reload()).status === "ready", {
      timeoutMs: 30_000,
    });
    report("Redis back → upload inspected", performance.now() - back);
    await waitForMail(to, { template: "password-changed" });

    // Started while Redis is down again; it comes back empty once more.
    await redis.stop();
    const settings = parseSettings(record.settings);
    const started = await startById(deps, record, {
      mapping: settings.mapping,
      mode: "skip",
      update: settings.update,
    });
    expect(await enqueueImportWork(deps, started)).toBeNull();
    await redis.start();
    const again = performance.now();
    await completed(record);
    report("Redis back → started import completed", performance.now() - again);

    expect(record).toMatchObject({ processedRows: rows, createdCount: expected, failedCount: 0 });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(expected);
    expect(
      await models.Notification.count({ where: { userId: owner.id, kind: "import_finished" } }),
    ).toBe(1);
    // Handed over and forgotten.
    expect(
      await db.current.sequelize.query("SELECT job_id FROM job_outbox WHERE payload LIKE :to", {
        type: QueryTypes.SELECT,
        replacements: { to: `%${to}%` },
      }),
    ).toEqual([]);
  });
});

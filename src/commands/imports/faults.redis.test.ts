import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildUser } from "../../../test/factories";
import { testDatabaseUrl, useTestDatabase } from "../../../test/support/database";
import { inspectById, startById, tempDir, testImportDeps } from "../../../test/support/imports";
import { startEntry, waitFor, type RunningProcess } from "../../../test/support/processes";
import { uploadFile } from "../../../test/support/imports";
import { BullmqQueue } from "../../jobs/bullmqQueue";
import { queueDispatcher } from "../../jobs/dispatcher";
import { systemClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Import } from "../../models";
import { enqueueImportWork } from "./enqueue";
import { parseSettings } from "./fields";

/**
 * Worker processes killed or stopped in the middle of an import, on MySQL/MariaDB and Redis:
 * each new worker resumes it within (lease + a little) of its start, and the import finishes
 * exactly once — exact counts, no customer twice, one "finished" notification. Real processes
 * from source (`npm run worker`), real time; the lease is short and the batches small so a few
 * thousand rows give room for several faults.
 */
const db = useTestDatabase();
jest.setTimeout(240_000);

const rows = 4000;
const batchSize = 25;
/** Set REPORT_TIMINGS=1 to print how long each resume took. */
const report = (what: string, ms: number) => {
  if (process.env.REPORT_TIMINGS)
    process.stdout.write(`[fault timing] ${what}: ${Math.round(ms)} ms\n`);
};

/** Rows with an invalid phone every 500 and a copy of an earlier number every 700. */
function writeFile(file: string) {
  const lines = ["name,phone,email,tags"];
  let invalid = 0;
  let copies = 0;
  let tagLinks = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 500 === 499) {
      lines.push(`Broken ${i},12${i},broken${i}@example.com,`);
      invalid++;
    } else if (i % 700 === 699) {
      // The same number as a row from well before: duplicates that span the faults.
      lines.push(`Copy ${i},${7_000_000_000 + (i - 650)},,copy`);
      copies++;
    } else {
      lines.push(
        `Person ${i},${7_000_000_000 + i},p${i}@example.com,${i % 2 ? "vip" : '"new,trial"'}`,
      );
      tagLinks += i % 2 ? 1 : 2;
    }
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { valid: rows - invalid - copies, invalid, copies, tagLinks };
}

/** A started import of the file, its expected counts, and the environment of its workers. */
async function startedImport(leaseSeconds: number) {
  const { models } = db.current;
  const uploads = tempDir("crm-import-faults-");
  const deps = testImportDeps(db.current, { uploadsDir: uploads });
  const owner = await buildUser(models, { planCode: "gold" });
  const { business } = await buildBusiness(models, { owner, country: "IN" });
  const file = path.join(tempDir(), "faults.csv");
  const expected = writeFile(file);
  const uploaded = await uploadFile(deps, business, owner, file);
  const ready = (await inspectById(deps, uploaded.id))!;
  const settings = parseSettings(ready.settings);
  const record = await startById(deps, ready, {
    mapping: settings.mapping,
    mode: "skip",
    update: settings.update,
  });
  const env = {
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL as string,
    QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
    UPLOADS_DIR: uploads,
    IMPORT_LEASE_SECONDS: String(leaseSeconds),
    IMPORT_BATCH_SIZE: String(batchSize),
    IMPORT_MAX_BYTES: "50000000",
    RECONCILE_INTERVAL_MS: "2000",
  };
  return { business, owner, record, expected, env };
}

/** What the web process does after "Start import": queue the run. */
async function queueRun(env: Record<string, string>, record: Import): Promise<void> {
  const web = new BullmqQueue({
    redisUrl: env.REDIS_URL as string,
    prefix: env.QUEUE_PREFIX as string,
    logger: createLogger("silent"),
  });
  try {
    const id = await enqueueImportWork({ jobs: queueDispatcher(web), clock: systemClock }, record);
    expect(id).toBe(`import-${record.id}-run-${record.seq}`);
  } finally {
    await web.close();
  }
}

async function expectFinishedOnce(
  record: Import,
  business: { id: number; reload(): Promise<{ customerCount: number }> },
  owner: { id: number },
  expected: ReturnType<typeof writeFile>,
) {
  const { models } = db.current;
  expect(await record.reload()).toMatchObject({
    status: "completed",
    processedRows: rows,
    createdCount: expected.valid,
    skippedCount: expected.copies,
    failedCount: expected.invalid,
    updatedCount: 0,
    leaseOwner: null,
  });
  const where = { businessId: business.id };
  expect(await models.Customer.count({ where })).toBe(expected.valid);
  expect((await business.reload()).customerCount).toBe(expected.valid);
  expect(await models.TimelineEvent.count({ where: { ...where, kind: "imported" } })).toBe(
    expected.valid,
  );
  expect(await models.ImportRowError.count({ where: { importId: record.id } })).toBe(
    expected.invalid + expected.copies,
  );
  expect(await models.CustomerTag.count({ where })).toBe(expected.tagLinks);
  expect(
    await models.Notification.count({ where: { userId: owner.id, kind: "import_finished" } }),
  ).toBe(1);
}

describe("an import whose workers fail", () => {
  const workers: RunningProcess[] = [];
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
  });

  /** A new worker, and when it was started. */
  const spawnWorker = (env: Record<string, string>) => {
    const worker = startEntry("workers/index.ts", env);
    workers.push(worker);
    return { worker, at: performance.now() };
  };
  const kill = async (worker: RunningProcess) => {
    worker.child.kill("SIGKILL");
    expect((await worker.exited).signal).toBe("SIGKILL");
  };
  const progress = async (record: Import, atLeast: number, by: RunningProcess) =>
    waitFor(
      `${atLeast} rows`,
      async () => {
        await record.reload();
        if (record.status === "completed") throw new Error(`import ended early\n${by.output()}`);
        return record.processedRows >= atLeast;
      },
      { everyMs: 10 },
    );
  /**
   * How long after a worker was ready it claimed the import (0 when it claimed while starting).
   * Counted from its "worker started" line, not from the spawn: booting Node on a loaded machine
   * took 20 s in one run, and says nothing about how leases hand work over.
   */
  const readyAt = (worker: RunningProcess) =>
    worker.waitForLog("worker started", 60_000).then(
      () => performance.now(),
      () => Number.POSITIVE_INFINITY, // exited (killed) before saying so: it claimed while starting
    );
  const claimDelay = async (claim: number, ready: Promise<number>) =>
    claim - Math.min(await ready, claim);
  /** Resolves when a runner claims the import after `epoch`; returns when. */
  const claimAfter = async (record: Import, epoch: number, by: RunningProcess) => {
    await waitFor(
      `a claim after epoch ${epoch}`,
      async () => (await record.reload()).leaseEpoch > epoch,
      { everyMs: 10 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${by.output()}`);
    });
    return performance.now();
  };

  it("is killed three times, once right after a resumed run claims it, and finishes exactly once", async () => {
    const leaseMs = 2000;
    const { business, owner, record, expected, env } = await startedImport(leaseMs / 1000);
    const first = spawnWorker(env);
    await first.worker.waitForLog("worker started", 60_000);
    await queueRun(env, record);

    // 1. Mid-import.
    await progress(record, 600, first.worker);
    await kill(first.worker);
    expect(record.leaseEpoch).toBe(1);
    let lastRows = (await record.reload()).processedRows;
    expect(record.status).toBe("running");

    // 2. Right after the next worker's run claims the lease (before or just after its first batch).
    const second = spawnWorker(env);
    const secondReady = readyAt(second.worker);
    const secondClaim = await claimAfter(record, 1, second.worker);
    await kill(second.worker);
    report("kill 1: new worker ready → claim", await claimDelay(secondClaim, secondReady));
    await record.reload();
    expect(record.processedRows).toBeGreaterThanOrEqual(lastRows);
    expect(record.processedRows).toBeLessThan(rows);
    lastRows = record.processedRows;

    // 3. Mid-batch again, a few hundred rows into the third worker's run.
    const third = spawnWorker(env);
    const thirdReady = readyAt(third.worker);
    const thirdClaim = await claimAfter(record, 2, third.worker);
    report("kill 2: new worker ready → claim", await claimDelay(thirdClaim, thirdReady));
    await progress(record, lastRows + 400, third.worker);
    await kill(third.worker);
    expect((await record.reload()).processedRows).toBeLessThan(rows);

    // 4. The last worker finishes it.
    const fourth = spawnWorker(env);
    const fourthReady = readyAt(fourth.worker);
    const fourthClaim = await claimAfter(record, 3, fourth.worker);
    report("kill 3: new worker ready → claim", await claimDelay(fourthClaim, fourthReady));
    await waitFor(
      "the import to complete",
      async () => {
        return (await record.reload()).status === "completed";
      },
      { timeoutMs: 120_000, everyMs: 50 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${fourth.worker.output()}`);
    });
    report("last resume: claim → completed", performance.now() - fourthClaim);
    // Each worker took the import over within a lease (plus slack for a slow machine) of being
    // ready; the measured times are far below it.
    for (const [claim, ready] of [
      [secondClaim, secondReady],
      [thirdClaim, thirdReady],
      [fourthClaim, fourthReady],
    ] as const)
      expect(await claimDelay(claim, ready)).toBeLessThan(leaseMs + 15_000);

    // Its lease's watch finds the import done and ends; nothing runs it again.
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 500));
    expect((await record.reload()).leaseEpoch).toBe(4);
    await expectFinishedOnce(record, business, owner, expected);
  });

  it("stops at a checkpoint on SIGTERM, exits 0 in time, and the next worker finishes it at once", async () => {
    // A long lease: a worker that left its lease held would hold the import up for 30 s.
    const { business, owner, record, expected, env } = await startedImport(30);
    const shutdownMs = 5000;
    const first = spawnWorker({ ...env, SHUTDOWN_TIMEOUT_MS: String(shutdownMs) });
    await first.worker.waitForLog("worker started", 60_000);
    await queueRun(env, record);
    await progress(record, 600, first.worker);

    const stopping = performance.now();
    first.worker.child.kill("SIGTERM");
    const exit = await first.worker.exited;
    const stopMs = performance.now() - stopping;
    report("SIGTERM → exit", stopMs);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(shutdownMs);
    await first.worker.waitForLog("shutdown complete", 1000);
    // The lease is given up and the rest is owed.
    expect(await record.reload()).toMatchObject({
      status: "running",
      leaseOwner: null,
      leaseEpoch: 1,
    });
    expect(record.processedRows).toBeLessThan(rows);

    const second = spawnWorker(env);
    const secondReady = readyAt(second.worker);
    const claim = await claimAfter(record, 1, second.worker);
    const delay = await claimDelay(claim, secondReady);
    report("after SIGTERM: new worker ready → claim", delay);
    // Far less than the 30 s lease: the continuation was queued when the first worker stopped.
    expect(delay).toBeLessThan(15_000);
    await waitFor(
      "the import to complete",
      async () => {
        return (await record.reload()).status === "completed";
      },
      { timeoutMs: 120_000, everyMs: 50 },
    );
    await expectFinishedOnce(record, business, owner, expected);
  });
});

import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { BullmqQueue } from "../../jobs/bullmqQueue";
import { createLogger } from "../../logger";
import { buildBusiness, buildUser } from "../../../test/factories";
import { testDatabaseUrl, useTestDatabase } from "../../../test/support/database";
import {
  inspectById,
  startById,
  tempDir,
  testImportDeps,
  uploadFile,
} from "../../../test/support/imports";
import { queueDispatcher } from "../../jobs/dispatcher";
import { systemClock } from "../../lib/clock";
import { startEntry, type RunningProcess } from "../../../test/support/processes";
import { enqueueImportWork } from "./enqueue";
import { parseSettings } from "./fields";

/**
 * A worker process killed with SIGKILL in the middle of an import: a new worker resumes it and
 * the final counts are exact, with no customer twice. Real processes, MariaDB/MySQL and Redis.
 */
const db = useTestDatabase();
jest.setTimeout(240_000);

const rows = 24_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows with an invalid phone every 1,000 and a copy of an earlier number every 1,500. */
function writeFile(file: string) {
  const lines = ["name,phone,email,tags"];
  let invalid = 0;
  let copies = 0;
  let tagLinks = 0;
  for (let i = 0; i < rows; i++) {
    if (i % 1000 === 999) {
      lines.push(`Broken ${i},12${i},broken${i}@example.com,`);
      invalid++;
    } else if (i % 1500 === 1499) {
      // The same number as a row from well before: duplicates that span the kill.
      lines.push(`Copy ${i},${7_000_000_000 + (i - 1200)},,copy`);
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

describe("an import whose worker is killed", () => {
  it("resumes in a new worker and ends with exact counts and no duplicates", async () => {
    const { models } = db.current;
    const uploads = tempDir("crm-import-kill-");
    const deps = testImportDeps(db.current, { uploadsDir: uploads });
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const file = path.join(tempDir(), "big.csv");
    const expected = writeFile(file);
    const uploaded = await uploadFile(deps, business, owner, file);
    const ready = (await inspectById(deps, uploaded.id))!;
    const settings = parseSettings(ready.settings);
    const record = await startById(deps, ready, {
      mapping: settings.mapping,
      mode: "skip",
      update: settings.update,
    });

    const prefix = `crm-test-${randomUUID().slice(0, 8)}`;
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: process.env.REDIS_URL as string,
      QUEUE_PREFIX: prefix,
      UPLOADS_DIR: uploads,
      IMPORT_LEASE_SECONDS: "3",
      IMPORT_BATCH_SIZE: "500",
      IMPORT_MAX_BYTES: "50000000",
    };
    // The web side enqueues, as a web process does after "Start import".
    const web = new BullmqQueue({
      redisUrl: env.REDIS_URL,
      prefix,
      logger: createLogger("silent"),
    });
    let second: RunningProcess | undefined;
    const first = startEntry("workers/index.ts", env);
    try {
      await first.waitForLog("worker started", 60_000);
      await enqueueImportWork({ jobs: queueDispatcher(web), clock: systemClock }, record);

      // Let it commit a few batches, then kill it without warning.
      for (;;) {
        await record.reload();
        if (record.processedRows >= 4000) break;
        if (record.status !== "queued" && record.status !== "running")
          throw new Error(`import ended early: ${record.status}\n${first.output()}`);
        await sleep(20);
      }
      first.child.kill("SIGKILL");
      expect((await first.exited).signal).toBe("SIGKILL");
      await record.reload();
      expect(record.status).toBe("running");
      expect(record.processedRows).toBeLessThan(rows);
      const atKill = record.processedRows;

      // A new worker: its start-up reconcile finds the running import and takes it over once
      // the dead worker's lease has run out.
      second = startEntry("workers/index.ts", env);
      await second.waitForLog("worker started", 60_000);
      const deadline = Date.now() + 180_000;
      while ((await record.reload()).status !== "completed") {
        if (Date.now() > deadline) throw new Error(`not resumed:\n${second.output()}`);
        await sleep(200);
      }
      expect(record.processedRows).toBeGreaterThan(atKill);
    } finally {
      await web.close();
      first.child.kill("SIGKILL");
      second?.child.kill("SIGTERM");
      if (second) await second.exited;
    }

    expect(record).toMatchObject({
      status: "completed",
      processedRows: rows,
      createdCount: expected.valid,
      skippedCount: expected.copies,
      failedCount: expected.invalid,
      updatedCount: 0,
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
  });
});

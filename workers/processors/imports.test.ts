import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildUser } from "../../test/factories";
import { useTestDatabase } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import {
  inspectById,
  startById,
  tempDir,
  testImportDeps,
  uploadFile,
} from "../../test/support/imports";
import { enqueueImportWork } from "../../src/commands/imports/enqueue";
import { parseSettings } from "../../src/commands/imports/fields";
import { InProcessQueue } from "../../src/jobs/inProcessQueue";
import { FakeClock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import type { Import } from "../../src/models";
import { registerProcessors } from ".";

/**
 * The watch of a runner's lease, on the process's clock: it looks again while the runner renews,
 * takes over once the runner stops, and the new runner queues the watch of its own lease.
 */
const db = useTestDatabase();

describe("the watch of an import's lease", () => {
  it("defers while the runner renews, takes over when it stops, and finishes the import", async () => {
    const clock = new FakeClock("2030-01-01T10:00:00.000Z");
    const importDeps = testImportDeps(db.current, { leaseSeconds: 30 });
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const file = path.join(tempDir(), "watched.csv");
    writeFileSync(file, "name,phone\nAsha,9876543210\nRavi,9876543211\n");
    const uploaded = await uploadFile(importDeps, business, owner, file);
    const ready = (await inspectById(importDeps, uploaded.id))!;
    const settings = parseSettings(ready.settings);
    const record = await startById(importDeps, ready, {
      mapping: settings.mapping,
      mode: "skip",
      update: settings.update,
    });

    // Another process's runner holds it (epoch 1) until 10:00:30.
    const holding = (until: string) =>
      models.Import.update(
        { status: "running", leaseOwner: "elsewhere", leaseExpiresAt: new Date(until) },
        { where: { id: record.id } },
      );
    await models.Import.update({ leaseEpoch: 1 }, { where: { id: record.id } });
    await holding("2030-01-01T10:00:30.000Z");

    const queue = new InProcessQueue(createLogger("silent"), clock);
    const deps = { ...testDeps(db.current, { queue, clock }), config: importDeps.config };
    registerProcessors(deps);
    await queue.startWorkers();
    const state = (jobId: string) => queue.state("imports", jobId);
    const settle = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await check()); i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      const watch = await enqueueImportWork(deps, (await record.reload()) as Import);
      expect(watch).toBe(`import-${record.id}-lease-1`);
      expect(await state(watch!)).toBe("delayed");

      // The runner renews before the end; the watch runs just after the old end, finds the lease
      // held, and is delayed again until the new end.
      await holding("2030-01-01T10:01:00.000Z");
      await clock.set("2030-01-01T10:00:30.100Z");
      await settle(async () => (await state(watch!)) === "delayed" && clock.pending() > 0);
      expect(await state(watch!)).toBe("delayed");
      expect((await record.reload()).leaseEpoch).toBe(1);

      // The runner stops renewing (it died): just after its lease ends, the watch takes over.
      await clock.set("2030-01-01T10:01:00.100Z");
      await settle(async () => (await record.reload()).status === "completed");
      expect(record).toMatchObject({
        status: "completed",
        leaseEpoch: 2,
        leaseOwner: null,
        createdCount: 2,
      });
      await settle(async () => (await state(watch!)) === "completed");
      expect(await state(watch!)).toBe("completed");
      // The new runner queued the watch of its own lease, which finds the import done.
      const next = `import-${record.id}-lease-2`;
      expect(await state(next)).toBe("delayed");
      await clock.advance(30_200);
      await settle(async () => (await state(next)) === "completed");
      expect(await state(next)).toBe("completed");
      expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(2);
    } finally {
      await queue.close();
    }
  });
});

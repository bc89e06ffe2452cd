import { randomUUID } from "node:crypto";
import { Op } from "sequelize";
import { BullmqQueue } from "../src/jobs/bullmqQueue";
import { queueDispatcher } from "../src/jobs/dispatcher";
import { createLogger } from "../src/logger";
import { testDatabaseUrl, useTestDatabase } from "../test/support/database";
import { startEntry } from "../test/support/processes";
import { buildSession, buildUser } from "../test/factories";

const db = useTestDatabase();

describe("a separate worker process (npm run worker)", () => {
  it("runs the job that the web side enqueued, then exits cleanly on SIGTERM", async () => {
    const prefix = `crm-test-${randomUUID().slice(0, 8)}`;
    const worker = startEntry("workers/index.ts", {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: process.env.REDIS_URL as string,
      QUEUE_PREFIX: prefix,
    });
    // The web side: a queue that only enqueues, as the web role does.
    const web = new BullmqQueue({
      redisUrl: process.env.REDIS_URL as string,
      prefix,
      logger: createLogger("silent"),
    });
    try {
      const started = await worker.waitForLog("worker started");
      expect(started.jobs).toBe("bullmq");

      const { models } = db.current;
      const user = await buildUser(models);
      const expired = await buildSession(models, {
        userId: user.id,
        expiresAt: new Date(Date.now() - 1000),
      });
      const jobId = `web-enqueued-${randomUUID().slice(0, 8)}`;
      await queueDispatcher(web).dispatch("purge-expired-sessions", {}, { jobId });

      const deadline = Date.now() + 15_000;
      while ((await web.state("housekeeping", jobId)) !== "completed") {
        if (Date.now() > deadline)
          throw new Error(`job not completed; worker output:\n${worker.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await models.Session.count({ where: { sid: { [Op.eq]: expired.sid } } })).toBe(0);
    } finally {
      await web.close();
      worker.child.kill("SIGTERM");
    }
    const { code } = await worker.exited;
    expect(code).toBe(0);
    expect(worker.output()).toContain('"msg":"shutdown complete"');
  });
});

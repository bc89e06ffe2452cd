import { Op } from "sequelize";
import { testQueue } from "../../test/support/app";
import { useTestDatabase } from "../../test/support/database";
import { buildSession, buildUser } from "../../test/factories";
import { createLogger } from "../logger";
import { purgeScheduleId, housekeepingStep } from "./housekeeping";
import { Reconciler } from "./reconciler";
import { buildTasks } from "./tasks";
import { createMailer } from "../integrations/mail/mailer";
import { testConfig } from "../../test/support/config";

const db = useTestDatabase();

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("housekeeping: purging expired sessions through the job queue", () => {
  it("is scheduled hourly by the start-up reconciler, which also purges a backlog at once", async () => {
    const { models, sequelize } = db.current;
    const user = await buildUser(models);
    const past = new Date(Date.now() - 60_000);
    const expired = await Promise.all(
      [1, 2, 3].map(() => buildSession(models, { userId: user.id, expiresAt: past })),
    );
    const live = await buildSession(models, { userId: user.id });

    const logger = createLogger("silent");
    const queue = testQueue();
    const tasks = buildTasks({
      sequelize,
      models,
      logger,
      mailer: createMailer(testConfig(), logger),
    });
    queue.register(tasks.purgeExpiredSessions);
    await queue.startWorkers();
    try {
      const reconciler = new Reconciler(logger);
      reconciler.register(housekeepingStep);
      const results = await reconciler.run({ queue, tasks, models });
      expect(results).toEqual({ housekeeping: 1 });
      expect(await queue.scheduleIds()).toContain(purgeScheduleId);

      const expiredIds = expired.map((s) => s.sid);
      await until(
        async () => (await models.Session.count({ where: { sid: { [Op.in]: expiredIds } } })) === 0,
      );
      expect(await models.Session.findByPk(live.sid)).not.toBeNull();

      // A second start in the same hour does not queue a second purge.
      await buildSession(models, { userId: user.id, expiresAt: past });
      const again = await reconciler.run({ queue, tasks, models });
      expect(again).toEqual({ housekeeping: 1 });
      const bucket = new Date().toISOString().slice(0, 13).replace(/\D/g, "");
      expect(await queue.state("housekeeping", `purge-expired-sessions-${bucket}`)).toBe(
        "completed",
      );
    } finally {
      await queue.close();
    }
  });

  it("lets one failing reconcile step not stop the others", async () => {
    const { models, sequelize } = db.current;
    const logger = createLogger("silent");
    const queue = testQueue();
    const tasks = buildTasks({
      sequelize,
      models,
      logger,
      mailer: createMailer(testConfig(), logger),
    });
    const reconciler = new Reconciler(logger);
    const ran: string[] = [];
    reconciler.register({ name: "broken", run: async () => Promise.reject(new Error("boom")) });
    reconciler.register({ name: "fine", run: async () => (ran.push("fine"), 2) });
    try {
      expect(await reconciler.run({ queue, tasks, models })).toEqual({ broken: -1, fine: 2 });
      expect(ran).toEqual(["fine"]);
      expect(() => reconciler.register({ name: "fine", run: async () => 0 })).toThrow(/twice/);
    } finally {
      await queue.close();
    }
  });
});

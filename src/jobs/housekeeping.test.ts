import { Op } from "sequelize";
import { useTestDatabase } from "../../test/support/database";
import { startJobProcess, testDeps } from "../../test/support/deps";
import { purgeExpired } from "../commands/housekeeping/purgeExpired";
import { buildBusiness, buildSession, buildUser } from "../../test/factories";
import { FakeClock } from "../lib/clock";
import { newToken } from "../lib/tokens";
import { createLogger } from "../logger";
import { purgeScheduleId, housekeepingStep } from "./housekeeping";
import { Reconciler } from "./reconciler";

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
    const { models } = db.current;
    // Expiry, the purge and the hour bucket all read this clock, never today's.
    const clock = new FakeClock("2030-06-01T10:15:00Z");
    const user = await buildUser(models);
    const past = new Date(clock.now().getTime() - 60_000);
    const expired = await Promise.all(
      [1, 2, 3].map(() => buildSession(models, { userId: user.id, expiresAt: past })),
    );
    const live = await buildSession(models, {
      userId: user.id,
      expiresAt: new Date(clock.now().getTime() + 86_400_000),
    });

    const logger = createLogger("silent");
    const deps = await startJobProcess(db.current, { clock });
    const { queue } = deps;
    try {
      const reconciler = new Reconciler(logger);
      reconciler.register(housekeepingStep);
      const results = await reconciler.run(deps);
      expect(results).toEqual({ housekeeping: 1 });
      expect(await queue.scheduleIds()).toContain(purgeScheduleId);

      const expiredIds = expired.map((s) => s.sid);
      await until(
        async () => (await models.Session.count({ where: { sid: { [Op.in]: expiredIds } } })) === 0,
      );
      expect(await models.Session.findByPk(live.sid)).not.toBeNull();
      // The purge may still be looking for a next batch when its sessions are gone; a session
      // expired before it finishes would be its to delete, so wait for it to end.
      const purgeId = "purge-expired-sessions-2030060110";
      await until(async () => (await queue.state("housekeeping", purgeId)) !== "active");
      expect(await queue.state("housekeeping", purgeId)).toBe("completed");

      // A second start in the same hour does not queue a second purge: the hour's job id is taken.
      const late = await buildSession(models, { userId: user.id, expiresAt: past });
      const again = await reconciler.run(deps);
      expect(again).toEqual({ housekeeping: 1 });
      expect(await queue.state("housekeeping", purgeId)).toBe("completed");
      expect(await models.Session.findByPk(late.sid)).not.toBeNull();
    } finally {
      await deps.close();
    }
  });

  it("lets one failing reconcile step not stop the others", async () => {
    const logger = createLogger("silent");
    const deps = testDeps(db.current);
    const reconciler = new Reconciler(logger);
    const ran: string[] = [];
    reconciler.register({ name: "broken", run: async () => Promise.reject(new Error("boom")) });
    reconciler.register({ name: "fine", run: async () => (ran.push("fine"), 2) });
    try {
      expect(await reconciler.run(deps)).toEqual({ broken: -1, fine: 2 });
      expect(ran).toEqual(["fine"]);
      expect(() => reconciler.register({ name: "fine", run: async () => 0 })).toThrow(/twice/);
    } finally {
      await deps.queue.close();
    }
  });
});

describe("the purge job", () => {
  it("also removes long-expired e-mail tokens, refresh tokens and invitations, and keeps live ones", async () => {
    const { models } = db.current;
    const user = await buildUser(models);
    const { business } = await buildBusiness(models);
    const clock = new FakeClock("2030-06-01T10:15:00Z");
    const longAgo = new Date(clock.now().getTime() - 8 * 24 * 60 * 60 * 1000);
    const soon = new Date(clock.now().getTime() + 60_000);
    const token = (expiresAt: Date) =>
      models.UserToken.create({
        userId: user.id,
        purpose: "activation",
        tokenHash: newToken().hash,
        data: null,
        expiresAt,
        usedAt: null,
      });
    const refresh = (expiresAt: Date) =>
      models.RefreshToken.create({
        userId: user.id,
        sessionSid: "api_x",
        tokenHash: newToken().hash,
        expiresAt,
        usedAt: null,
        revokedAt: null,
      });
    const invitation = (expiresAt: Date) =>
      models.Invitation.create({
        businessId: business.id,
        email: "x@example.test",
        role: "sales",
        tokenHash: newToken().hash,
        invitedById: null,
        expiresAt,
        acceptedAt: null,
      });
    const old = [await token(longAgo), await refresh(longAgo), await invitation(longAgo)];
    const live = [await token(soon), await refresh(soon), await invitation(soon)];

    await purgeExpired(testDeps(db.current, { clock }));

    for (const record of old)
      expect(
        await record.reload().then(
          () => "still there",
          () => "gone",
        ),
      ).toBe("gone");
    for (const record of live)
      expect(
        await record.reload().then(
          () => "still there",
          () => "gone",
        ),
      ).toBe("still there");
  });
});

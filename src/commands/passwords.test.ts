import { randomUUID } from "node:crypto";
import { testConfig } from "../../test/support/config";
import { testDatabaseTarget, type TestDatabase } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import { buildUser, uniqueEmail } from "../../test/factories";
import { createSequelize } from "../db/connection";
import type { Deps } from "../deps";
import { InProcessQueue } from "../jobs/inProcessQueue";
import type { EnqueueOptions, JobSpec } from "../jobs/queue";
import { systemClock } from "../lib/clock";
import { RateLimits } from "../lib/rateLimits";
import { createLogger } from "../logger";
import { initModels } from "../models";
import { requestPasswordReset, sendPasswordResetTo } from "./passwords";
import { resendActivation, sendActivationAgainTo } from "./registration";

/** Every job queued (nobody works them here), so a test sees what a request asked for. */
class RecordingQueue extends InProcessQueue {
  readonly enqueued: Array<{ name: string; payload: unknown }> = [];

  override async enqueue(spec: JobSpec, payload: unknown, options?: EnqueueOptions) {
    this.enqueued.push({ name: spec.name, payload });
    return super.enqueue(spec, payload, options);
  }
}

/**
 * The reset and resend forms must not tell which addresses have an account, by their answer or
 * by its time (issue 10, item 5: 13.4 ms for a known address, 7.6 ms for an unknown one, because
 * only a known one issued a token and queued a mail inside the request). Measured here as the
 * work itself: the statements the request sends and the jobs it queues, known and unknown alike.
 */
describe("account mails asked for on public forms", () => {
  const statements: string[] = [];
  let db: TestDatabase;
  beforeAll(() => {
    const sequelize = createSequelize(testDatabaseTarget(), {
      logging: (sql) => statements.push(sql),
    });
    db = { sequelize, models: initModels(sequelize) };
  });
  afterAll(() => db.sequelize.close());

  function depsWith(overrides: Record<string, string> = {}) {
    const queue = new RecordingQueue(createLogger("silent"), systemClock);
    const config = testConfig({
      QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
      ...overrides,
    });
    const rateLimits = RateLimits.create(config);
    const deps: Deps = { ...testDeps(db, { queue }), config, rateLimits };
    return { deps, queue, close: () => rateLimits.close() };
  }

  /** What one call sends to the database (values left out) and queues. */
  async function workOf(call: () => Promise<void>, queue: RecordingQueue) {
    statements.length = 0;
    queue.enqueued.length = 0;
    await call();
    const shapes = statements.map((sql) => sql.replace(/'[^']*'|\b\d+\b/g, "?"));
    const jobs = queue.enqueued.map((job) => job.name);
    return { shapes, jobs };
  }

  it("a reset request does the same work for a known and an unknown address", async () => {
    const { deps, queue, close } = depsWith();
    try {
      const known = await buildUser(db.models);
      const forKnown = await workOf(
        () => requestPasswordReset(deps, "203.0.113.1", known.email),
        queue,
      );
      const forUnknown = await workOf(
        () => requestPasswordReset(deps, "203.0.113.2", uniqueEmail("nobody")),
        queue,
      );
      expect(forUnknown).toEqual(forKnown);
      expect(forKnown.jobs).toEqual(["send-password-reset"]);
      // No token is issued and no mail queued while the visitor waits.
      expect(await db.models.UserToken.count({ where: { userId: known.id } })).toBe(0);
    } finally {
      await close();
    }
  });

  it("so does a request to resend an activation link", async () => {
    const { deps, queue, close } = depsWith();
    try {
      const waiting = await buildUser(db.models, { activatedAt: null });
      const forKnown = await workOf(
        () => resendActivation(deps, "203.0.113.3", waiting.email),
        queue,
      );
      const forUnknown = await workOf(
        () => resendActivation(deps, "203.0.113.4", uniqueEmail("nobody")),
        queue,
      );
      expect(forUnknown).toEqual(forKnown);
      expect(forKnown.jobs).toEqual(["send-activation-again"]);
    } finally {
      await close();
    }
  });

  it("the job behind it mails a link only to an address that has an account", async () => {
    const { deps, queue, close } = depsWith();
    try {
      const known = await buildUser(db.models);
      const mailed = await workOf(
        () => sendPasswordResetTo(deps, known.email.toUpperCase()),
        queue,
      );
      expect(mailed.jobs).toEqual(["send-mail"]);
      expect(queue.enqueued[0]?.payload).toMatchObject({
        to: known.email,
        template: "password-reset",
      });
      expect(await db.models.UserToken.count({ where: { userId: known.id } })).toBe(1);
      const nobody = await workOf(() => sendPasswordResetTo(deps, uniqueEmail("nobody")), queue);
      expect(nobody.jobs).toEqual([]);

      // A resend mails an account still waiting for activation, not an active one.
      const waiting = await buildUser(db.models, { activatedAt: null });
      expect((await workOf(() => sendActivationAgainTo(deps, waiting.email), queue)).jobs).toEqual([
        "send-mail",
      ]);
      expect((await workOf(() => sendActivationAgainTo(deps, known.email), queue)).jobs).toEqual(
        [],
      );
    } finally {
      await close();
    }
  });

  it("limits the mails per address and per IP address, counting unknown addresses too", async () => {
    const { deps, queue, close } = depsWith({
      ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR: "3",
      ACCOUNT_MAIL_PER_IP_PER_HOUR: "5",
    });
    try {
      const target = await buildUser(db.models);
      const queued = async (ip: string, email: string) =>
        (await workOf(() => requestPasswordReset(deps, ip, email), queue)).jobs.length;

      // One address, asked for from four places: three links an hour, whoever asks.
      const perAddress = [];
      for (const ip of ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"])
        perAddress.push(await queued(ip, target.email));
      expect(perAddress).toEqual([1, 1, 1, 0]);
      // Resending an activation link spends the same budget.
      expect(
        (await workOf(() => resendActivation(deps, "198.51.100.5", target.email), queue)).jobs,
      ).toEqual([]);

      // One IP address asking about many addresses, known or not: five an hour.
      const perIp = [];
      for (let i = 0; i < 6; i++) perIp.push(await queued("192.0.2.50", uniqueEmail("probe")));
      expect(perIp).toEqual([1, 1, 1, 1, 1, 0]);
    } finally {
      await close();
    }
  });
});

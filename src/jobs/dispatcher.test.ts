import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { QueryTypes } from "sequelize";
import { useTestDatabase, testDatabaseTarget } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import { createSequelize } from "../db/connection";
import type { OutgoingMail } from "../integrations/mail/types";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import { BullmqQueue } from "./bullmqQueue";
import { jobSpec } from "./catalog";
import { queueDispatcher } from "./dispatcher";
import { InProcessQueue } from "./inProcessQueue";
import { JobOutbox } from "./outbox";
import { outboxStep } from "./outboxStep";
import { Reconciler } from "./reconciler";

/**
 * Dispatching while the queue is away: the job is kept in the database's outbox under the id it
 * was given, and the next reconcile pass hands it over, once; when the database cannot keep it
 * either, the caller gets a 503 and nothing is left behind. Real drivers throughout: a closed
 * in-process queue refuses jobs, and a TCP server that accepts connections but never answers
 * stands in for a Redis that hangs.
 */
const db = useTestDatabase();
const logger = createLogger("silent");
const mail: OutgoingMail = {
  to: "someone@example.com",
  template: "password-changed",
  data: { name: "Asha", time: "1 January 2030, 05:30" },
};

describe("dispatching a job while the queue is away", () => {
  let clock: FakeClock;
  let outbox: JobOutbox;

  beforeEach(async () => {
    clock = new FakeClock("2030-01-01T00:00:00Z");
    outbox = new JobOutbox(db.current.sequelize, clock);
    await db.current.sequelize.query("DELETE FROM job_outbox");
  });

  const kept = () =>
    db.current.sequelize.query<{ name: string; job_id: string; payload: string }>(
      "SELECT name, job_id, payload FROM job_outbox ORDER BY id",
      { type: QueryTypes.SELECT },
    );
  const closedQueue = async () => {
    const queue = new InProcessQueue(logger, clock);
    await queue.close();
    return queue;
  };

  it("queues at once when the queue answers, and keeps nothing", async () => {
    const queue = new InProcessQueue(logger, clock);
    try {
      const jobs = queueDispatcher(queue, { outbox, clock, timeoutMs: 500 });
      expect(await jobs.dispatch("send-mail", mail, { jobId: "mail-1" })).toBe("mail-1");
      expect(await queue.state("mail", "mail-1")).toBe("waiting");
      expect(await kept()).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it("keeps the job under its id, and a reconcile pass hands it over once, keeping its delay", async () => {
    const jobs = queueDispatcher(await closedQueue(), { outbox, clock, timeoutMs: 500 });
    const id = await jobs.dispatch("send-mail", mail);
    await jobs.dispatch("send-mail", mail, { jobId: "mail-later", delayMs: 60_000 });
    expect((await kept()).map((row) => [row.name, row.job_id, JSON.parse(row.payload)])).toEqual([
      ["send-mail", id, mail],
      ["send-mail", "mail-later", mail],
    ]);

    // Redis is back: a worker's next pass.
    const queue = new InProcessQueue(logger, clock);
    const sent: unknown[] = [];
    queue.register({
      ...jobSpec("send-mail"),
      async perform(payload) {
        sent.push(payload);
      },
    });
    const reconciler = new Reconciler(logger);
    reconciler.register(outboxStep);
    try {
      const deps = { ...testDeps(db.current, { queue, clock }) };
      expect(await reconciler.run(deps, "periodic")).toEqual({ outbox: 2 });
      expect(await kept()).toEqual([]);
      expect(await queue.state("mail", id)).toBe("waiting");
      expect(await queue.state("mail", "mail-later")).toBe("delayed");
      await queue.startWorkers();
      await clock.advance(60_000);
      expect(sent).toEqual([mail, mail]);
      // A second pass finds nothing; the same id dispatched again is not run again.
      expect(await reconciler.run(deps, "periodic")).toEqual({ outbox: 0 });
      await jobs.dispatch("send-mail", mail, { jobId: "mail-later" });
      expect(await kept()).toHaveLength(1);
      await reconciler.run(deps, "periodic");
      await clock.advance(1);
      expect(sent).toHaveLength(2);
    } finally {
      await queue.close();
    }
  });

  it("answers 503 and leaves nothing when the database cannot keep the job either", async () => {
    const broken = createSequelize(testDatabaseTarget());
    await broken.close();
    const jobs = queueDispatcher(await closedQueue(), {
      outbox: new JobOutbox(broken, clock),
      clock,
      timeoutMs: 500,
    });
    await expect(jobs.dispatch("send-mail", mail)).rejects.toMatchObject({
      id: "service_unavailable",
      status: 503,
    });
    expect(await kept()).toEqual([]);
  });

  it("leaves owed work to the reconciler instead of the outbox", async () => {
    const jobs = queueDispatcher(await closedQueue(), { outbox, clock, timeoutMs: 500 });
    const payload = { businessId: 1, userId: 1, importId: 1 };
    expect(await jobs.dispatchOwed("run-import", payload, { jobId: "import-1-run-1" })).toBeNull();
    expect(await kept()).toEqual([]);
  });

  describe("with a Redis that accepts connections but never answers", () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let url: string;

    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      url = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it("gives up after the dispatch timeout and keeps the job", async () => {
      const queue = new BullmqQueue({ redisUrl: url, prefix: "crm-test-silent", logger, clock });
      try {
        const jobs = queueDispatcher(queue, { outbox, clock, timeoutMs: 300 });
        const started = performance.now();
        expect(await jobs.dispatch("send-mail", mail, { jobId: "mail-hung" })).toBe("mail-hung");
        const waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(290);
        expect(waited).toBeLessThan(2000);
        expect((await kept()).map((row) => row.job_id)).toEqual(["mail-hung"]);
      } finally {
        const closing = performance.now();
        await queue.close({ timeoutMs: 200 });
        // Closing does not hang on the silent server either.
        expect(performance.now() - closing).toBeLessThan(2500);
      }
    });
  });
});

import { jobSpec } from "../../jobs/catalog";
import { queueDispatcher } from "../../jobs/dispatcher";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Import } from "../../models";
import { enqueueImportWork } from "./enqueue";

/** Which job an import gets in each state, and that queueing twice queues once. */
describe("queueing an import's work", () => {
  // The queue reads the same clock as the test: a "delayed" job stays delayed on any real date.
  const clock = new FakeClock("2026-11-22T10:00:00Z");
  const logger = createLogger("silent");
  const record = (fields: Partial<Import>) =>
    ({
      id: 7,
      businessId: 3,
      userId: 5,
      revertedById: null,
      seq: 2,
      leaseOwner: null,
      leaseExpiresAt: null,
      leaseEpoch: 3,
      runStartedAt: null,
      updatedAt: new Date("2026-11-22T09:00:00Z"),
      ...fields,
    }) as Import;
  let queue: InProcessQueue;
  const deps = () => ({ jobs: queueDispatcher(queue, { clock }), clock });
  const id = (fields: Partial<Import>) => enqueueImportWork(deps(), record(fields));

  beforeEach(() => {
    queue = new InProcessQueue(logger, clock);
  });
  afterEach(() => queue.close());

  it("names each phase, and watches a runner's lease under its epoch", async () => {
    expect(await id({ status: "inspecting" })).toBe("import-7-inspect-2");
    expect(await id({ status: "queued" })).toBe("import-7-run-2");
    const until = new Date("2026-11-22T10:00:30Z");
    const held = { status: "running", leaseOwner: "x", leaseExpiresAt: until } as const;
    expect(await id(held)).toBe("import-7-lease-3");
    expect(await queue.state("imports", "import-7-lease-3")).toBe("delayed");
    // The same lease renewed, seen by another process later: still the one watch.
    expect(await id({ ...held, leaseExpiresAt: new Date("2026-11-22T10:00:50Z") })).toBe(
      "import-7-lease-3",
    );
    // Given up by its runner (no lease): the epoch it gave up, so each give-up has its own id.
    expect(await id({ status: "running" })).toBe("import-7-resume-2-3");
    expect(await id({ status: "running", leaseEpoch: 4 })).toBe("import-7-resume-2-4");
    expect(await id({ status: "reverting" })).toBe("import-7-revert-2-3");
    expect(await id({ ...held, status: "reverting" })).toBe("import-7-lease-3");
    expect(await id({ status: "completed" })).toBeNull();
  });

  it("runs the takeover just after the clock passes the end of the lease, not before", async () => {
    const until = new Date(clock.nowMs() + 30_000);
    const jobId = await id({ status: "running", leaseOwner: "x", leaseExpiresAt: until });
    await clock.advance(30_000);
    expect(await queue.state("imports", jobId!)).toBe("delayed");
    await clock.advance(150);
    expect(await queue.state("imports", jobId!)).toBe("waiting");
  });

  it("never reuses the id of a job the queue keeps as finished while the work is still owed", async () => {
    const ran: string[] = [];
    queue.register({
      ...jobSpec("run-import"),
      async perform(_payload, job) {
        ran.push(job.id);
      },
    });
    await queue.startWorkers();
    expect(await id({ status: "queued" })).toBe("import-7-run-2");
    await clock.advance(1);
    expect(await queue.state("imports", "import-7-run-2")).toBe("completed");
    // Still queued in the database (the job ended without running it): the next id of the series,
    // which every process computes alike.
    expect(await id({ status: "queued" })).toBe("import-7-run-2-r2");
    await clock.advance(1);
    expect(ran).toEqual(["import-7-run-2", "import-7-run-2-r2"]);
    expect(await id({ status: "queued" })).toBe("import-7-run-2-r3");
  });

  it("leaves owed work to the reconciler when the queue cannot take it", async () => {
    await queue.close();
    expect(await id({ status: "queued" })).toBeNull();
  });
});

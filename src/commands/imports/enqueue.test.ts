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
  const now = clock.now();
  const record = (fields: Partial<Import>) =>
    ({
      id: 7,
      businessId: 3,
      userId: 5,
      revertedById: null,
      seq: 2,
      leaseOwner: null,
      leaseExpiresAt: null,
      runStartedAt: null,
      updatedAt: new Date("2026-11-22T09:00:00Z"),
      ...fields,
    }) as Import;

  it("names each phase, and waits for the end of a lease held by another runner", async () => {
    const queue = new InProcessQueue(createLogger("silent"), clock);
    const deps = { jobs: queueDispatcher(queue), clock };
    const id = (fields: Partial<Import>) => enqueueImportWork(deps, record(fields));
    expect(await id({ status: "inspecting" })).toBe("import-7-inspect-2");
    expect(await id({ status: "queued" })).toBe("import-7-run-2");
    const until = new Date("2026-11-22T10:00:30Z");
    const resumeId = `import-7-resume-until-${until.getTime() + 250}`;
    expect(await id({ status: "running", leaseOwner: "x", leaseExpiresAt: until })).toBe(resumeId);
    expect(await queue.state("imports", resumeId)).toBe("delayed");
    // Given up by its runner (no lease): a fresh id, so a finished job's id does not block it.
    expect(await id({ status: "running", runStartedAt: now })).toBe(
      `import-7-resume-from-${new Date("2026-11-22T09:00:00Z").getTime()}`,
    );
    expect(await id({ status: "reverting" })).toBe("import-7-revert-2");
    expect(await id({ status: "completed" })).toBeNull();
    await queue.close();
  });

  it("runs the takeover when the clock reaches the end of the lease, not before", async () => {
    const queue = new InProcessQueue(createLogger("silent"), clock);
    const deps = { jobs: queueDispatcher(queue), clock };
    const until = new Date(clock.nowMs() + 30_000);
    const jobId = await enqueueImportWork(
      deps,
      record({ status: "running", leaseOwner: "x", leaseExpiresAt: until }),
    );
    await clock.advance(29_000);
    expect(await queue.state("imports", jobId!)).toBe("delayed");
    await clock.advance(1_500);
    expect(await queue.state("imports", jobId!)).toBe("waiting");
    await queue.close();
  });
});

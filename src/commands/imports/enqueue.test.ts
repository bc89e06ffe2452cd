import { InProcessQueue } from "../../jobs/inProcessQueue";
import type { Tasks } from "../../jobs/tasks";
import { createLogger } from "../../logger";
import type { Import } from "../../models";
import { enqueueImportWork } from "./enqueue";

/** Which job an import gets in each state, and that queueing twice queues once. */
describe("queueing an import's work", () => {
  const tasks = {
    inspectImport: { queue: "imports", name: "inspect-import", perform: async () => undefined },
    runImport: { queue: "imports", name: "run-import", perform: async () => undefined },
    revertImport: { queue: "imports", name: "revert-import", perform: async () => undefined },
  } as unknown as Tasks;
  const now = new Date("2026-11-22T10:00:00Z");
  const record = (fields: Partial<Import>) =>
    ({
      id: 7,
      seq: 2,
      leaseOwner: null,
      leaseExpiresAt: null,
      runStartedAt: null,
      updatedAt: new Date("2026-11-22T09:00:00Z"),
      ...fields,
    }) as Import;

  it("names each phase, and waits for the end of a lease held by another runner", async () => {
    const queue = new InProcessQueue(createLogger("silent"));
    const id = (fields: Partial<Import>) => enqueueImportWork(queue, tasks, record(fields), now);
    expect(await id({ status: "inspecting" })).toBe("import-7-inspect-2");
    expect(await id({ status: "queued" })).toBe("import-7-run-2");
    const until = new Date("2026-11-22T10:00:30Z");
    expect(await id({ status: "running", leaseOwner: "x", leaseExpiresAt: until })).toBe(
      `import-7-resume-until-${until.getTime() + 250}`,
    );
    expect(await queue.state("imports", `import-7-resume-until-${until.getTime() + 250}`)).toBe(
      "delayed",
    );
    // Given up by its runner (no lease): a fresh id, so a finished job's id does not block it.
    expect(await id({ status: "running", runStartedAt: now })).toBe(
      `import-7-resume-from-${new Date("2026-11-22T09:00:00Z").getTime()}`,
    );
    expect(await id({ status: "reverting" })).toBe("import-7-revert-2");
    expect(await id({ status: "completed" })).toBeNull();
    await queue.close();
  });
});

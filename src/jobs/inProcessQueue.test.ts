import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import { InProcessQueue } from "./inProcessQueue";
import type { RunnableJob } from "./queue";
import { describeQueueContract } from "./queue.contract";

describeQueueContract("in-process", () => new InProcessQueue(createLogger("silent")));

describe("in-process queue on a fixed clock", () => {
  it("retries a failed job after its backoff in real time, as BullMQ does", async () => {
    // A test fixes business time; a retry waiting on that clock would never run (CI hung on it).
    const clock = new FakeClock("2026-12-04T05:00:00Z");
    const queue = new InProcessQueue(createLogger("silent"), clock);
    const attempts: number[] = [];
    const task: RunnableJob = {
      queue: "default",
      name: "flaky-on-fixed-clock",
      retry: { attempts: 3, backoffMs: 20 },
      async perform(_payload, job) {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error("not yet");
      },
    };
    queue.register(task);
    await queue.startWorkers();
    await queue.enqueue(task, {}, { jobId: "flaky-fixed-1" });
    const deadline = Date.now() + 5000;
    while ((await queue.state("default", "flaky-fixed-1")) !== "completed") {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await queue.close();
    expect(attempts).toEqual([1, 2, 3]);
    expect(clock.nowMs()).toBe(new Date("2026-12-04T05:00:00Z").getTime());
  });

  it("keeps a job delayed to a business time waiting until the clock reaches it", async () => {
    const clock = new FakeClock("2026-12-04T05:00:00Z");
    const queue = new InProcessQueue(createLogger("silent"), clock);
    const ran: string[] = [];
    const task: RunnableJob = {
      queue: "default",
      name: "due-later",
      retry: { attempts: 1, backoffMs: 10 },
      async perform() {
        ran.push("ran");
      },
    };
    queue.register(task);
    await queue.startWorkers();
    await queue.enqueue(task, {}, { jobId: "due-1", runAt: new Date("2026-12-04T06:00:00Z") });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await queue.state("default", "due-1")).toBe("delayed");
    await clock.set("2026-12-04T06:00:00Z");
    const deadline = Date.now() + 5000;
    while (ran.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await queue.close();
    expect(ran).toEqual(["ran"]);
  });
});

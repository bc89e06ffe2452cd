import { performance } from "node:perf_hooks";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import { InProcessQueue } from "./inProcessQueue";
import { maxVisitorYieldMs, type RunnableJob } from "./queue";
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

describe("in-process queue while the process serves visitors", () => {
  async function until(check: () => boolean, ms = 5000): Promise<void> {
    const deadline = performance.now() + ms;
    while (!check() && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
  }

  function recorder(name: string, yieldsToVisitors: boolean, ran: string[]): RunnableJob {
    return {
      queue: "default",
      name,
      yieldsToVisitors,
      async perform(_payload, job) {
        ran.push(job.id);
      },
    };
  }

  it("starts a yielding job once no request is in flight; other jobs at once", async () => {
    let serving = true;
    const queue = new InProcessQueue(createLogger("silent"), undefined, () => serving);
    const ran: string[] = [];
    const followUp = recorder("yields", true, ran);
    const urgent = recorder("urgent", false, ran);
    queue.register(followUp);
    queue.register(urgent);
    await queue.startWorkers({ concurrency: 2 });
    await queue.enqueue(followUp, {}, { jobId: "follow-up-1" });
    await queue.enqueue(urgent, {}, { jobId: "urgent-1" });
    await until(() => ran.includes("urgent-1"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ran).toEqual(["urgent-1"]);
    serving = false;
    await until(() => ran.length === 2);
    await queue.close();
    expect(ran).toEqual(["urgent-1", "follow-up-1"]);
  });

  it("runs a yielding job after maxVisitorYieldMs when requests never stop", async () => {
    const queue = new InProcessQueue(createLogger("silent"), undefined, () => true);
    const ran: string[] = [];
    const followUp = recorder("yields-busy", true, ran);
    queue.register(followUp);
    await queue.startWorkers();
    const started = performance.now();
    await queue.enqueue(followUp, {}, { jobId: "follow-up-busy" });
    await until(() => ran.length === 1, 10_000);
    const waited = performance.now() - started;
    await queue.close();
    expect(ran).toEqual(["follow-up-busy"]);
    expect(waited).toBeGreaterThanOrEqual(maxVisitorYieldMs - 20);
  });
});

import { JobDeferred, type JobQueue, type RunnableJob } from "./queue";

/**
 * The behaviour every job driver must show. Each driver's test file calls this with a factory
 * that returns a fresh, isolated queue.
 */
export function describeQueueContract(driverName: string, makeQueue: () => JobQueue): void {
  describe(`${driverName} queue contract`, () => {
    let queue: JobQueue;

    beforeEach(() => {
      queue = makeQueue();
    });

    afterEach(async () => {
      await queue.close();
    });

    const until = async (
      condition: () => boolean | Promise<boolean>,
      timeoutMs = 5000,
    ): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error("condition not met in time");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

    function recordingTask(
      name: string,
      behaviour: (payload: { n: number }) => Promise<void> = async () => {},
    ) {
      const seen: number[] = [];
      const task: RunnableJob = {
        queue: "default",
        name,
        retry: { attempts: 1, backoffMs: 10 },
        async perform(payload) {
          const data = payload as { n: number };
          await behaviour(data);
          seen.push(data.n);
        },
      };
      return { task, seen };
    }

    it("runs an enqueued job with its payload, and reports it completed", async () => {
      const { task, seen } = recordingTask("echo");
      queue.register(task);
      await queue.startWorkers();
      const id = await queue.enqueue(task, { n: 42 }, { jobId: "echo-1" });
      await until(() => seen.length === 1);
      expect(seen).toEqual([42]);
      await until(async () => (await queue.state("default", id)) === "completed");
    });

    it("ignores a second enqueue with the same job id", async () => {
      const { task, seen } = recordingTask("dedupe", () => sleep(50));
      queue.register(task);
      await queue.enqueue(task, { n: 1 }, { jobId: "same-id" });
      await queue.enqueue(task, { n: 2 }, { jobId: "same-id" });
      await queue.startWorkers();
      await until(async () => (await queue.state("default", "same-id")) === "completed");
      await queue.enqueue(task, { n: 3 }, { jobId: "same-id" });
      await sleep(200);
      expect(seen).toEqual([1]);
    });

    it("waits for a job's time: delayed by milliseconds or at a given moment", async () => {
      const { task, seen } = recordingTask("later");
      queue.register(task);
      await queue.startWorkers();
      const started = Date.now();
      await queue.enqueue(task, { n: 1 }, { jobId: "later-1", delayMs: 400 });
      await queue.enqueue(task, { n: 2 }, { jobId: "later-2", runAt: new Date(started + 600) });
      await sleep(150);
      expect(seen).toEqual([]);
      expect(await queue.state("default", "later-1")).toBe("delayed");
      await until(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    });

    it("retries a failing job with backoff, then succeeds", async () => {
      const attempts: number[] = [];
      const task: RunnableJob = {
        queue: "default",
        name: "flaky",
        retry: { attempts: 3, backoffMs: 50 },
        async perform(_payload, job) {
          attempts.push(job.attempt);
          if (job.attempt < 3) throw new Error("not yet");
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "flaky-1" });
      await until(async () => (await queue.state("default", "flaky-1")) === "completed");
      expect(attempts).toEqual([1, 2, 3]);
    });

    it("gives up after the last attempt and reports the job failed", async () => {
      let calls = 0;
      const task: RunnableJob = {
        queue: "default",
        name: "doomed",
        retry: { attempts: 2, backoffMs: 20 },
        async perform() {
          calls += 1;
          throw new Error("always");
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "doomed-1" });
      await until(async () => (await queue.state("default", "doomed-1")) === "failed");
      await sleep(200);
      expect(calls).toBe(2);
    });

    it("runs no more jobs at once than the concurrency allows", async () => {
      let running = 0;
      let peak = 0;
      const { task, seen } = recordingTask("busy", async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(100);
        running -= 1;
      });
      queue.register(task);
      await queue.startWorkers({ concurrency: 2 });
      for (let n = 1; n <= 6; n += 1) await queue.enqueue(task, { n });
      await until(() => seen.length === 6);
      expect(peak).toBe(2);
    });

    it("keeps one schedule per id, runs it on repeat, and removes it", async () => {
      const { task, seen } = recordingTask("tick");
      queue.register(task);
      await queue.startWorkers();
      await queue.schedule("tick-every", { everyMs: 150 }, task, { n: 7 });
      await queue.schedule("tick-every", { everyMs: 150 }, task, { n: 7 });
      await queue.schedule("tick-cron", { cron: "0 0 1 1 *", timeZone: "Asia/Kolkata" }, task, {
        n: 8,
      });
      expect(await queue.scheduleIds()).toEqual(["tick-cron", "tick-every"]);
      await until(() => seen.length >= 2, 3000);
      expect(new Set(seen)).toEqual(new Set([7]));
      await queue.unschedule("tick-every");
      await queue.unschedule("tick-cron");
      expect(await queue.scheduleIds()).toEqual([]);
    });

    it("on close, waits for the job in progress to finish", async () => {
      let finished = false;
      const task: RunnableJob = {
        queue: "default",
        name: "slow",
        retry: { attempts: 1 },
        async perform() {
          await sleep(300);
          finished = true;
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "slow-1" });
      await until(async () => (await queue.state("default", "slow-1")) === "active");
      await queue.close();
      expect(finished).toBe(true);
      queue = makeQueue();
    });

    it("on close, aborts the signal of the job in progress, which stops at its checkpoint", async () => {
      let stoppedEarly = false;
      const task: RunnableJob = {
        queue: "default",
        name: "long",
        retry: { attempts: 1 },
        async perform(_payload, job) {
          // A long job: it would run for a minute, checking for shutdown between its steps.
          for (let step = 0; step < 600; step++) {
            if (job.signal.aborted) {
              stoppedEarly = true;
              return;
            }
            await sleep(100);
          }
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "long-1" });
      await until(async () => (await queue.state("default", "long-1")) === "active");
      const started = Date.now();
      await queue.close({ timeoutMs: 10_000 });
      expect(stoppedEarly).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
      queue = makeQueue();
    });

    it("on close with a deadline, stops waiting for a job that does not stop", async () => {
      let finished = false;
      const task: RunnableJob = {
        queue: "default",
        name: "stubborn",
        retry: { attempts: 1 },
        async perform() {
          await sleep(1500);
          finished = true;
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "stubborn-1" });
      await until(async () => (await queue.state("default", "stubborn-1")) === "active");
      const started = Date.now();
      await queue.close({ timeoutMs: 200 });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(finished).toBe(false);
      // Let it end before the next test (its process would normally exit here).
      await until(() => finished, 3000);
      queue = makeQueue();
    });

    it("runs a deferred job again at its time under the same id, without using an attempt", async () => {
      const runs: Array<{ attempt: number; at: number }> = [];
      const task: RunnableJob = {
        queue: "default",
        name: "patient",
        // One attempt only: were deferring a failure, the job would not run again.
        retry: { attempts: 1 },
        async perform(_payload, job) {
          runs.push({ attempt: job.attempt, at: Date.now() });
          if (runs.length < 3) throw new JobDeferred(new Date(Date.now() + 300));
        },
      };
      queue.register(task);
      await queue.startWorkers();
      await queue.enqueue(task, {}, { jobId: "patient-1" });
      await until(() => runs.length === 1);
      await until(async () => (await queue.state("default", "patient-1")) === "delayed");
      await until(async () => (await queue.state("default", "patient-1")) === "completed");
      expect(runs.map((r) => r.attempt)).toEqual([1, 1, 1]);
      expect(
        (runs[2] as { at: number }).at - (runs[0] as { at: number }).at,
      ).toBeGreaterThanOrEqual(550);
      // Deferring did not create another job: the id is still the one, and it is kept.
      await queue.enqueue(task, {}, { jobId: "patient-1" });
      await sleep(100);
      expect(runs).toHaveLength(3);
    });

    it("rejects a job id with a colon, which BullMQ reserves", async () => {
      const { task } = recordingTask("colon");
      await expect(queue.enqueue(task, { n: 1 }, { jobId: "a:b" })).rejects.toThrow(/no ":"/);
    });
  });
}

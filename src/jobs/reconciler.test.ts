import { useTestDatabase } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import { housekeepingStep, purgeScheduleId } from "./housekeeping";
import { InProcessQueue } from "./inProcessQueue";
import { Reconciler, type ReconcileContext } from "./reconciler";
import { remindersScheduleId, remindersStepFor } from "./reminders";

/**
 * The reconciler in a worker: a start pass, then a pass every interval on the process's clock,
 * which re-creates lost schedules; a pass is skipped while the queue does not answer.
 */
const db = useTestDatabase();
const logger = createLogger("silent");
const intervalMs = 30_000;

describe("the periodic reconciler", () => {
  let clock: FakeClock;
  let queue: InProcessQueue;
  let reconciler: Reconciler;
  let passes: ReconcileContext[];

  beforeEach(() => {
    clock = new FakeClock("2030-01-01T00:00:00Z");
    queue = new InProcessQueue(logger, clock);
    passes = [];
    reconciler = new Reconciler(logger);
    reconciler.register({
      name: "recorder",
      async run(context) {
        passes.push(context);
        return 0;
      },
    });
  });
  afterEach(async () => {
    await reconciler.stop();
    await queue.close();
  });

  /** Lets a pass started by the clock run to its end (its steps query the database). */
  const settle = async () => {
    for (let i = 0; i < 100 && clock.pending() === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it("runs a start pass, then one every interval, each at the clock's time, until stopped", async () => {
    const deps = testDeps(db.current, { queue, clock });
    await reconciler.start(deps, intervalMs);
    expect(passes.map((p) => [p.pass, p.now.toISOString(), p.horizon])).toEqual([
      ["start", "2030-01-01T00:00:00.000Z", null],
    ]);
    await clock.advance(intervalMs - 1);
    expect(passes).toHaveLength(1);
    await clock.advance(1);
    await settle();
    await clock.advance(intervalMs);
    await settle();
    expect(passes.map((p) => [p.pass, p.now.toISOString(), p.horizon?.toISOString()])).toEqual([
      ["start", "2030-01-01T00:00:00.000Z", undefined],
      ["periodic", "2030-01-01T00:00:30.000Z", "2030-01-01T00:01:30.000Z"],
      ["periodic", "2030-01-01T00:01:00.000Z", "2030-01-01T00:02:00.000Z"],
    ]);
    await reconciler.stop();
    await clock.advance(5 * intervalMs);
    expect(passes).toHaveLength(3);
    expect(clock.pending()).toBe(0);
  });

  it("re-creates schedules a Redis loss dropped, and only the start pass scans", async () => {
    reconciler.register(housekeepingStep);
    reconciler.register(remindersStepFor({ businessIds: [] }));
    const deps = testDeps(db.current, { queue, clock });
    await reconciler.start(deps, intervalMs);
    expect(await queue.scheduleIds()).toEqual([purgeScheduleId, remindersScheduleId]);
    // The schedules are lost (as with a Redis restarted empty).
    await queue.unschedule(purgeScheduleId);
    await queue.unschedule(remindersScheduleId);
    await clock.advance(intervalMs);
    await settle();
    expect(await queue.scheduleIds()).toEqual([purgeScheduleId, remindersScheduleId]);
  });

  it("skips a pass while the queue does not answer, and carries on after", async () => {
    const deps = testDeps(db.current, { queue, clock });
    await reconciler.start(deps, intervalMs);
    const away = new InProcessQueue(logger, clock);
    await away.close();
    // Same process, its queue unreachable for a while: the pass does nothing.
    const results = await reconciler.run({ ...deps, queue: away }, "periodic");
    expect(results).toEqual({});
    expect(passes).toHaveLength(1);
    await clock.advance(intervalMs);
    await settle();
    expect(passes.map((p) => p.pass)).toEqual(["start", "periodic"]);
  });
});

/**
 * Where "now" comes from. Commands, jobs and queue drivers read time only through a Clock, so a
 * test can fix the date without the queue or a timer reading the real one behind its back.
 */
export interface Clock {
  now(): Date;
  /** Milliseconds since the epoch; `now().getTime()` without the allocation. */
  nowMs(): number;
  /**
   * Calls `fire` once the clock reaches `timeMs` (at once, asynchronously, when it has passed).
   * Returns a function that cancels it. Timers never keep the process alive.
   */
  at(timeMs: number, fire: () => void): () => void;
}

/** setTimeout overflows past ~24.8 days and fires at once; longer waits go in steps. */
const maxTimerMs = 2 ** 31 - 1;

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  nowMs: () => Date.now(),
  at(timeMs, fire) {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const wait = () => {
      const remaining = timeMs - Date.now();
      timer = setTimeout(
        () => {
          if (cancelled) return;
          if (timeMs - Date.now() > 0) wait();
          else fire();
        },
        Math.min(Math.max(remaining, 0), maxTimerMs),
      );
      timer.unref();
    };
    wait();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  },
};

interface FakeTimer {
  timeMs: number;
  seq: number;
  fire: () => void;
}

/**
 * A clock that moves only when told to. Timers due by the new time fire in time order, each on a
 * later tick of the event loop (as real timers do), so code awaiting them behaves the same.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(start: Date | string | number = "2030-01-01T00:00:00Z") {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`FakeClock: invalid start ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  at(timeMs: number, fire: () => void): () => void {
    const timer: FakeTimer = { timeMs, seq: this.seq++, fire };
    if (timeMs <= this.current) {
      setImmediate(() => {
        if (this.timers.includes(timer)) this.release(timer);
      });
    }
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms` and fires what has come due. */
  async advance(ms: number): Promise<void> {
    await this.set(this.current + ms);
  }

  /** Moves time to `to` (never backwards) and fires what has come due. */
  async set(to: Date | string | number): Promise<void> {
    const target = new Date(to).getTime();
    if (target < this.current) throw new Error("FakeClock: time does not go backwards");
    for (;;) {
      const due = this.timers
        .filter((t) => t.timeMs <= target)
        .sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.timeMs);
      this.release(due);
      // Let what the timer started run before the next one fires.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.current = target;
  }

  /** Timers not yet fired (for tests that check nothing is left waiting). */
  pending(): number {
    return this.timers.length;
  }

  private release(timer: FakeTimer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    timer.fire();
  }
}

import { runAgainOnConflict } from "./runAgain";

describe("running a transaction again after a conflict the database rolled back", () => {
  const deadlock = () =>
    new Error("Deadlock found when trying to get lock; try restarting transaction");

  it("runs the step again after deadlocks, lock timeouts and SQLite's busy writer, and returns its result", async () => {
    const failures = [
      deadlock(),
      new Error("Lock wait timeout exceeded; try restarting transaction"),
      new Error("SQLITE_BUSY: database is locked"),
    ];
    let runs = 0;
    const result = await runAgainOnConflict(async () => {
      runs += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return "recorded";
    });
    expect(result).toBe("recorded");
    expect(runs).toBe(4);
  });

  it("throws any other error at once, and a conflict that outlasts its attempts", async () => {
    let runs = 0;
    await expect(
      runAgainOnConflict(() => {
        runs += 1;
        return Promise.reject(new Error("Unknown column 'x'"));
      }),
    ).rejects.toThrow("Unknown column 'x'");
    expect(runs).toBe(1);

    runs = 0;
    await expect(
      runAgainOnConflict(
        () => {
          runs += 1;
          return Promise.reject(deadlock());
        },
        { attempts: 3 },
      ),
    ).rejects.toThrow(/Deadlock found/);
    expect(runs).toBe(3);
  });

  it("runs again on an error the caller names as retryable too", async () => {
    class Taken extends Error {}
    let runs = 0;
    const result = await runAgainOnConflict(
      async () => {
        runs += 1;
        if (runs === 1) throw new Taken("phone already used");
        return runs;
      },
      { alsoWhen: (error) => error instanceof Taken },
    );
    expect(result).toBe(2);
  });
});

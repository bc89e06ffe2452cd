import { buildBusiness } from "../../test/factories";
import { useTestDatabase } from "../../test/support/database";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import {
  claimLease,
  keepLease,
  rawSql,
  releaseLease,
  renewLease,
  takeoverTime,
  type LeaseDeps,
  type LeaseTarget,
} from "./lease";

/**
 * The generic lease, on the imports table (the first that has one), on both databases. Time comes
 * from a fake clock that starts 400 ms into a second: a lease stored or compared in whole seconds
 * would look held for the rest of that second.
 */
const db = useTestDatabase();
const durationMs = 2000;

describe("a lease on a row", () => {
  let clock: FakeClock;
  let deps: LeaseDeps;
  let target: LeaseTarget;

  beforeEach(async () => {
    clock = new FakeClock("2030-01-01T00:00:00.400Z");
    deps = { sequelize: db.current.sequelize, clock, logger: createLogger("silent") };
    const { business, owner } = await buildBusiness(db.current.models);
    const row = await db.current.models.Import.create({
      businessId: business.id,
      userId: owner.id,
      fileName: "lease.csv",
      fileSize: 1,
      status: "queued",
      settings: "{}",
    });
    target = { table: "imports", id: row.id, scope: { business_id: business.id } };
  });

  const claim = () =>
    claimLease(deps, target, {
      durationMs,
      when: { status: ["queued", "running"] },
      set: { status: "running", started_at: rawSql("COALESCE(started_at, :now)") },
    });
  const row = () => db.current.models.Import.findByPk(target.id);

  it("has one holder until it runs out, and is taken over a millisecond after, in the same second", async () => {
    const first = await claim();
    expect(first).toMatchObject({ kind: "claimed", lease: { epoch: 1 } });
    const expiresAt = new Date("2030-01-01T00:00:02.400Z");
    expect(first.kind === "claimed" && first.lease.expiresAt).toEqual(expiresAt);
    expect(await row()).toMatchObject({
      status: "running",
      leaseEpoch: 1,
      leaseExpiresAt: expiresAt,
    });
    // A whole-second column (MySQL DATETIME) keeps the second.
    const startedAt = (await row())?.startedAt;
    expect(startedAt?.toISOString()).toMatch(/^2030-01-01T00:00:00\.(400|000)Z$/);

    const second = await claim();
    expect(second).toEqual({ kind: "held", lease: first.kind === "claimed" && first.lease });

    await clock.set(expiresAt);
    expect((await claim()).kind).toBe("held");
    await clock.set(takeoverTime(expiresAt, clock.now()));
    const taken = await claim();
    expect(taken).toMatchObject({ kind: "claimed", lease: { epoch: 2 } });
    expect(taken.kind === "claimed" && taken.lease.owner).not.toBe(
      first.kind === "claimed" && first.lease.owner,
    );
    // The claim set started_at only the first time.
    expect((await row())?.startedAt).toEqual(startedAt);
  });

  it("is renewed only by its holder, and released for the next claim at once", async () => {
    const first = await claim();
    if (first.kind !== "claimed") throw new Error("not claimed");
    await clock.advance(1500);
    expect(await renewLease(deps, target, "someone-else", durationMs)).toBeNull();
    const renewed = await renewLease(deps, target, first.lease.owner, durationMs);
    expect(renewed).toEqual(new Date("2030-01-01T00:00:03.900Z"));
    await clock.advance(1000);
    expect((await claim()).kind).toBe("held");

    expect(await releaseLease(deps, target, "someone-else")).toBe(false);
    expect(await releaseLease(deps, target, first.lease.owner)).toBe(true);
    expect(await row()).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, leaseEpoch: 1 });
    expect(await claim()).toMatchObject({ kind: "claimed", lease: { epoch: 2 } });
  });

  it("is idle when the row does not meet the claim's conditions or is out of scope", async () => {
    await db.current.models.Import.update({ status: "completed" }, { where: { id: target.id } });
    expect(await claim()).toEqual({ kind: "idle" });
    await db.current.models.Import.update({ status: "queued" }, { where: { id: target.id } });
    const otherBusiness = { ...target, scope: { business_id: 0 } };
    expect(await claimLease(deps, otherBusiness, { durationMs })).toEqual({ kind: "idle" });
    expect(await row()).toMatchObject({ leaseOwner: null, leaseEpoch: 0 });
  });

  it("is kept by renewing every third of its length, and reported lost once taken over", async () => {
    const first = await claim();
    if (first.kind !== "claimed") throw new Error("not claimed");
    const kept = keepLease(deps, target, first.lease.owner, durationMs);
    // Each renewal is a query: wait for it (the next one is armed once it is done).
    const tick = async () => {
      await clock.advance(Math.floor(durationMs / 3));
      for (let i = 0; i < 200 && clock.pending() === 0 && !kept.lost; i++)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      for (let i = 0; i < 6; i++) await tick();
      // Two lease lengths later it is still held: renewed all along.
      expect((await claim()).kind).toBe("held");
      expect(kept.lost).toBe(false);

      // Another holder takes over (as after a pause longer than the lease): the next renewal
      // finds the lease gone.
      await db.current.models.Import.update(
        { leaseOwner: "intruder" },
        { where: { id: target.id } },
      );
      await tick();
      expect(kept.lost).toBe(true);
    } finally {
      kept.stop();
    }
    expect(clock.pending()).toBe(0);
  });

  it("refuses a column name that is not a plain identifier", async () => {
    await expect(
      claimLease(deps, target, { durationMs, when: { "status; DROP TABLE imports": "x" } }),
    ).rejects.toThrow(/Not a column name/);
  });
});

import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { failure } from "../../../test/support/errors";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { JobQueue } from "../../jobs/queue";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import {
  addLeadNote,
  deleteLeadNote,
  editLeadNote,
  leadNotes,
  leadTasks,
  loadLeadNote,
} from "./notes";
import { defaultSequence, newRunKey, nurtureDueAt, nurtureMessages, runNurture } from "./nurture";
import {
  addLeadStage,
  businessLeadStages,
  checkStageChoice,
  moveLeadStage,
  removeLeadStage,
  renameLeadStage,
} from "./stages";

const db = useTestDatabase();

describe("lead nurture, stages and notes", () => {
  // 20:30 UTC on 1 December is 02:00 on 2 December in Kolkata: "today" there is the 2nd.
  const clock = new FakeClock("2026-12-01T20:30:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    queue = testQueue(clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, {
      owner,
      name: "Nurture Traders",
      timeZone: "Asia/Kolkata",
    }));
  });
  afterAll(() => queue.close());

  it("computes due days and hours in the business's time zone from the clock", () => {
    const now = clock.now();
    // Day 0: today (the 2nd in Kolkata) at 10:00 local = 04:30 UTC, later than now.
    expect(nurtureDueAt(now, "Asia/Kolkata", 0).toISOString()).toBe("2026-12-02T04:30:00.000Z");
    expect(nurtureDueAt(now, "Asia/Kolkata", 2).toISOString()).toBe("2026-12-04T04:30:00.000Z");
    // In New York it is still the 1st, 15:30: day 0 is now (10:00 has passed), day 5 the 6th.
    expect(nurtureDueAt(now, "America/New_York", 0).toISOString()).toBe("2026-12-01T20:30:00.000Z");
    expect(nurtureDueAt(now, "America/New_York", 5).toISOString()).toBe("2026-12-06T15:00:00.000Z");
  });

  it("creates the sequence's tasks for each lead's owner (unowned: the member running it), once per run", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const { user: seller } = await buildMember(db.current.models, business, "sales");
    const owned = await buildLead(db.current.models, business, { ownerId: seller.id });
    const unowned = await buildLead(db.current.models, business, { ownerId: null });
    const run = newRunKey();
    const result = await runNurture(deps, ctx, run, [owned.id, unowned.id], defaultSequence);
    expect(result).toEqual({ created: 6, skipped: 0, leads: 2 });
    const tasks = await db.current.models.Task.findAll({
      where: { leadId: owned.id },
      order: [["dueAt", "ASC"]],
    });
    expect(tasks.map((t) => [t.assigneeId, t.dueAt?.toISOString(), t.title])).toEqual([
      [seller.id, "2026-12-02T04:30:00.000Z", `Call: ${owned.firstName} ${owned.lastName}`],
      [
        seller.id,
        "2026-12-04T04:30:00.000Z",
        `Send a follow-up e-mail: ${owned.firstName} ${owned.lastName}`,
      ],
      [
        seller.id,
        "2026-12-07T04:30:00.000Z",
        `Follow-up call: ${owned.firstName} ${owned.lastName}`,
      ],
    ]);
    expect(
      (await db.current.models.Task.findAll({ where: { leadId: unowned.id } })).map(
        (t) => t.assigneeId,
      ),
    ).toEqual([owner.id, owner.id, owner.id]);
    // The same confirmation posted again adds nothing; a new run does.
    expect(await runNurture(deps, ctx, run, [owned.id, unowned.id], defaultSequence)).toEqual({
      created: 0,
      skipped: 6,
      leads: 2,
    });
    expect(await db.current.models.Task.count({ where: { leadId: owned.id } })).toBe(3);
    const events = await db.current.models.LeadEvent.findAll({ where: { leadId: owned.id } });
    expect(events.map((e) => e.kind)).toEqual(["nurtured"]);
    expect((await leadTasks(deps, ctx, owned)).length).toBe(3);
  });

  it("refuses an empty selection, bad steps, and leads the member cannot see", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business);
    expect(
      (await failure(runNurture(deps, ctx, newRunKey(), [], defaultSequence))).details,
    ).toEqual({ fields: { leadIds: nurtureMessages.none } });
    const badStep = [{ day: -1, kind: "call" as const, title: "Call" }];
    expect((await failure(runNurture(deps, ctx, newRunKey(), [lead.id], badStep))).details).toEqual(
      { fields: { steps: nurtureMessages.steps } },
    );
    const { user: seller } = await buildMember(db.current.models, business, "sales");
    const sales = await contextFor(db.current, business, seller);
    expect(
      (await failure(runNurture(deps, sales, newRunKey(), [lead.id], defaultSequence))).details,
    ).toEqual({ fields: { leadIds: nurtureMessages.unknown } });
    expect(await db.current.models.Task.count({ where: { leadId: lead.id } })).toBe(0);
  });

  it("renames, adds and reorders stages; a stage in use is removed only by moving its leads", async () => {
    const { business: shop, owner: boss } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, boss);
    expect((await businessLeadStages(deps, shop.id)).map((s) => s.code)).toEqual([
      "new",
      "contacted",
      "qualified",
      "lost",
      "converted",
    ]);
    await renameLeadStage(deps, ctx, "new", "Fresh");
    const demo = await addLeadStage(deps, ctx, "Demo booked");
    await moveLeadStage(deps, ctx, demo.code, "up");
    let stages = await businessLeadStages(deps, shop.id);
    expect(stages.map((s) => s.name)).toEqual([
      "Fresh",
      "Contacted",
      "Demo booked",
      "Qualified",
      "Lost",
      "Converted",
    ]);
    expect(stages.find((s) => s.code === "new")?.kind).toBe("entry");
    expect(
      (await failure(renameLeadStage(deps, ctx, "lost", "demo BOOKED"))).details,
    ).toMatchObject({ fields: { name: "Another stage already has this name." } });

    const lead = await buildLead(db.current.models, shop, { stage: demo.code as never });
    const inUse = await failure(removeLeadStage(deps, ctx, demo.code, undefined));
    expect(inUse.details).toEqual({
      fields: { moveTo: "1 lead is in Demo booked: choose the stage they move to." },
    });
    expect((await failure(removeLeadStage(deps, ctx, "lost", "new"))).id).toBe("validation_failed");
    expect((await failure(removeLeadStage(deps, ctx, demo.code, "converted"))).id).toBe(
      "validation_failed",
    );
    expect(await removeLeadStage(deps, ctx, demo.code, "qualified")).toEqual({ moved: 1 });
    expect((await db.current.models.Lead.findByPk(lead.id))?.stage).toBe("qualified");
    stages = await businessLeadStages(deps, shop.id);
    expect(stages.map((s) => [s.code, s.position])).toEqual([
      ["new", 0],
      ["contacted", 1],
      ["qualified", 2],
      ["lost", 3],
      ["converted", 4],
    ]);
    // Converted is reached only by converting; a converted lead stays there.
    expect(() => checkStageChoice(stages, "converted")).toThrow(AppError);
    expect(() => checkStageChoice(stages, "nope")).toThrow(AppError);
    expect(() => checkStageChoice(stages, "new", { stage: "converted", dealId: 9 })).toThrow(
      AppError,
    );
    expect(() =>
      checkStageChoice(stages, "contacted", { stage: "new", dealId: null }),
    ).not.toThrow();
    const { user: seller } = await buildMember(db.current.models, shop, "sales");
    const sales = await contextFor(db.current, shop, seller);
    expect((await failure(addLeadStage(deps, sales, "Mine"))).id).toBe("forbidden");
  });

  it("adds, edits and deletes notes on a lead; only the author (or owner/admin) changes one", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business);
    const note = await addLeadNote(deps, ctx, lead, "  Asked for a demo next week  ");
    expect(note.body).toBe("Asked for a demo next week");
    expect((await failure(addLeadNote(deps, ctx, lead, "   "))).id).toBe("validation_failed");
    const { user: seller } = await buildMember(db.current.models, business, "manager");
    const manager = await contextFor(db.current, business, seller);
    const loaded = await loadLeadNote(deps, manager, lead, note.id);
    expect((await failure(editLeadNote(deps, manager, loaded, "Mine now"))).id).toBe("forbidden");
    await editLeadNote(deps, ctx, loaded, "Demo on Friday");
    const other = await buildLead(db.current.models, business);
    expect((await failure(loadLeadNote(deps, ctx, other, note.id))).id).toBe("not_found");
    expect((await leadNotes(deps, ctx, lead)).map((n) => n.body)).toEqual(["Demo on Friday"]);
    await deleteLeadNote(ctx, loaded);
    expect(await leadNotes(deps, ctx, lead)).toHaveLength(0);
  });
});

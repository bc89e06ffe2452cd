import { useTestDatabase } from "../../../test/support/database";
import { contextFor, systemContextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { failure } from "../../../test/support/errors";
import { AppError } from "../../errors";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import type { JobQueue } from "../../jobs/queue";
import { createLogger } from "../../logger";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import type { Deps } from "../../deps";
import { nextRoundRobinOwner } from "./roundRobin";
import { assignmentSettings, parseAssignment, saveAssignmentSettings } from "./roundRobinSettings";
import { createLead, updateLead } from "./writes";

const db = useTestDatabase();

const tally = (ids: (number | null)[]) => {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[String(id)] = (counts[String(id)] ?? 0) + 1;
  return counts;
};

describe("round-robin lead assignment", () => {
  const clock = new FakeClock("2026-12-02T05:00:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;
  let members: User[];
  let support: User;

  beforeAll(async () => {
    // Nothing here runs jobs: an in-process queue keeps what is dispatched.
    queue = new InProcessQueue(createLogger("silent"), clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Turn Takers" }));
    members = [];
    for (const name of ["Asha", "Bala", "Chitra"]) {
      const user = await buildUser(db.current.models, { name });
      await buildMember(db.current.models, business, "sales", user);
      members.push(user);
    }
    ({ user: support } = await buildMember(db.current.models, business, "support"));
  });
  afterAll(() => queue.close());

  const save = async (enabled: boolean, chosen: User[], available: User[] = chosen) =>
    saveAssignmentSettings(deps, await contextFor(db.current, business, owner), {
      enabled,
      chosen: chosen.map((u) => u.id),
      available: available.map((u) => u.id),
    });

  it("is off until saved: nobody is next and the creator owns an automatic lead", async () => {
    expect(await nextRoundRobinOwner(deps, business.id)).toBeNull();
    const ctx = await contextFor(db.current, business, owner);
    const lead = await createLead(deps, ctx, { firstName: "Nobody's turn", ownerId: "auto" });
    expect(lead.ownerId).toBe(owner.id);
  });

  it("refuses members who may not own leads, unknown ids, and switching on with nobody", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const input = { enabled: true, chosen: [support.id], available: [support.id] };
    const refused = await failure(saveAssignmentSettings(deps, ctx, input));
    expect(refused.details).toEqual({ fields: { chosen: "Choose members who may own leads." } });
    const empty = await failure(
      saveAssignmentSettings(deps, ctx, { enabled: true, chosen: [], available: [] }),
    );
    expect(empty.id).toBe("validation_failed");
    expect(() => parseAssignment({ chosen: ["x1"] })).toThrow(AppError);
    expect(parseAssignment({ enabled: "on", chosen: ["4", "5"], available: "5" })).toEqual({
      enabled: true,
      chosen: [4, 5],
      available: [5],
    });
    expect(await nextRoundRobinOwner(deps, business.id)).toBeNull();
  });

  // 30 at once on MariaDB; 6 on SQLite, whose transaction connections busy-wait on libuv's four
  // pool threads (src/db/connection.ts): 9 took 20 s there, 12 over 30 s, starving the writer.
  const parallel = (process.env.DATABASE_URL ?? "").startsWith("mysql") ? 30 : 6;

  it(`gives ${parallel} leads created at once to 3 members exactly a third each`, async () => {
    await save(true, members);
    const ctx = await systemContextFor(db.current, business);
    const leads = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        createLead(deps, ctx, { firstName: `Parallel ${i}`, ownerId: "auto" }),
      ),
    );
    const third = parallel / 3;
    expect(tally(leads.map((l) => l.ownerId))).toEqual({
      [members[0]!.id]: third,
      [members[1]!.id]: third,
      [members[2]!.id]: third,
    });
    expect(new Set(leads.map((l) => l.id)).size).toBe(parallel);
    const settings = await db.current.models.LeadAssignmentSettings.findOne({
      where: { businessId: business.id },
    });
    expect(settings?.turn).toBe(parallel);
  });

  it("skips unavailable members and shows who takes turns", async () => {
    await save(true, members, [members[0]!, members[2]!]);
    const owners: (number | null)[] = [];
    for (let i = 0; i < 4; i += 1) owners.push(await nextRoundRobinOwner(deps, business.id));
    expect(tally(owners)).toEqual({ [members[0]!.id]: 2, [members[2]!.id]: 2 });
    const view = await assignmentSettings(deps, await contextFor(db.current, business, owner));
    expect(view.enabled).toBe(true);
    expect(view.taking).toBe(2);
    expect(view.members.find((m) => m.id === members[1]!.id)).toMatchObject({
      chosen: true,
      available: false,
    });
    expect(view.members.some((m) => m.id === support.id)).toBe(false);
  });

  it("gives a rolled-back lead's turn back", async () => {
    await save(true, members);
    const ctx = await contextFor(db.current, business, owner);
    await createLead(deps, ctx, { firstName: "Taken", email: "taken@turns.test" });
    const before = await db.current.models.LeadAssignmentSettings.findOne({
      where: { businessId: business.id },
    });
    const duplicate = await failure(
      createLead(deps, ctx, { firstName: "Again", email: "taken@turns.test", ownerId: "auto" }),
    );
    expect(duplicate.id).toBe("conflict");
    await before!.reload();
    const after = await db.current.models.LeadAssignmentSettings.findOne({
      where: { businessId: business.id },
    });
    expect(after!.turn).toBe(before!.turn);
  });

  it("hands an edited lead to the next in turn, and lets only assigners choose automatic", async () => {
    await save(true, [members[1]!]);
    const ctx = await contextFor(db.current, business, owner);
    const lead = await createLead(deps, ctx, { firstName: "Edited" });
    expect(lead.ownerId).toBe(owner.id);
    await updateLead(deps, ctx, lead, { ownerId: "auto" });
    expect(lead.ownerId).toBe(members[1]!.id);
    const sales = await contextFor(db.current, business, members[0]!);
    const refused = await failure(createLead(deps, sales, { firstName: "Mine", ownerId: "auto" }));
    expect(refused.id).toBe("forbidden");
  });

  it("stops when switched off, and when the chosen member left the team", async () => {
    await save(false, members);
    expect(await nextRoundRobinOwner(deps, business.id)).toBeNull();
    await save(true, [members[2]!]);
    await db.current.models.Membership.destroy({
      where: { businessId: business.id, userId: members[2]!.id },
    });
    expect(await nextRoundRobinOwner(deps, business.id)).toBeNull();
  });
});

import { writeFileSync } from "node:fs";
import path from "node:path";
import { Op } from "sequelize";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildTask,
  buildTimelineEvent,
  buildUser,
} from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import {
  importContext,
  importFile,
  revertById,
  tempDir,
  testImportDeps,
} from "../../../test/support/imports";
import type { Deps } from "../../deps";
import type { Business, Customer } from "../../models";
import { runBulkAction } from "../customers/bulk";
import { mergeCustomers } from "../customers/merge";
import { addNote } from "../customers/notes";
import { updateCustomer } from "../customers/writes";
import { createTask } from "../tasks/create";
import { keptCounts } from "./kept";
import { requestRevert, runRevert } from "./revert";
import { keptAfterRevert, planRevert } from "./revertPlan";

/**
 * Undo keeps work done since: a customer the import created that has since been edited, noted,
 * given a task, tagged by hand, merged or messaged is kept and listed with why; the rest go.
 */
const db = useTestDatabase();
const dir = tempDir("crm-import-keeps-");

function csv(name: string, lines: string[]): string {
  const target = path.join(dir, name);
  writeFileSync(target, `${lines.join("\n")}\n`);
  return target;
}

async function byPhone(business: Business, phone: string): Promise<Customer> {
  const customer = await db.current.models.Customer.findOne({
    where: { businessId: business.id, phoneE164: phone },
  });
  if (!customer) throw new Error(`no customer with ${phone}`);
  return customer;
}

async function namesOf(business: Business): Promise<string[]> {
  const rows = await db.current.models.Customer.findAll({
    where: { businessId: business.id },
    order: [["name", "ASC"]],
  });
  return rows.map((c) => c.name);
}

describe("undoing an import keeps work done since", () => {
  it("keeps each customer worked on since, lists it with why, and deletes the rest", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const { user: manager } = await buildMember(models, business, "manager");
    const deps = testImportDeps(db.current, { batchSize: 4 });
    const full: Deps = { ...testDeps(db.current), config: deps.config };
    const existing = await buildCustomer(models, business, {
      name: "Before Existing",
      phoneE164: "+919876500100",
    });
    const record = await importFile(
      deps,
      business,
      owner,
      csv("keeps.csv", [
        "name,phone,email,tags",
        "Edited Asha,9876500001,,vip",
        "Noted Bala,9876500002,,vip",
        "Tasked Chitra,9876500003,,",
        "Tagged Dev,9876500004,,",
        "Merged Esha,9876500005,,",
        "Duplicate Esha,9876500006,,",
        "Messaged Farah,9876500007,,",
        "Plain Gopal,9876500008,,vip",
        "Plain Hari,9876500009,,newtag",
        "After Existing,9876500100,existing@example.com,vip",
      ]),
      { mode: "update" },
    );
    expect(record).toMatchObject({ status: "completed", createdCount: 9, updatedCount: 1 });
    expect((await business.reload()).customerCount).toBe(10);

    // Work done since, each kind by the command a member would use (a message by its event).
    const ctx = await contextFor(db.current, business, owner);
    const asha = await byPhone(business, "+919876500001");
    await updateCustomer(full, ctx, asha, {
      name: "Asha Renamed",
      email: asha.email,
      phoneE164: asha.phoneE164,
      whatsappE164: asha.whatsappE164 ?? asha.phoneE164,
      tags: ["vip"],
      consentAt: asha.consentAt,
      birthDate: asha.birthDate,
      anniversary: asha.anniversary,
      ownerId: asha.ownerId,
    });
    const bala = await byPhone(business, "+919876500002");
    const note = await addNote(full, ctx, bala, "Asked about the Diwali offer.");
    const chitra = await byPhone(business, "+919876500003");
    const task = await createTask(full, ctx, { title: "Call back", customerId: chitra.id });
    const dev = await byPhone(business, "+919876500004");
    await runBulkAction(full, ctx, { ids: [dev.id] }, { action: "tag", tags: ["hand"] });
    const esha = await byPhone(business, "+919876500005");
    await mergeCustomers(full, ctx, esha, await byPhone(business, "+919876500006"), {});
    const farah = await byPhone(business, "+919876500007");
    await buildTimelineEvent(models, {
      businessId: business.id,
      customerId: farah.id,
      actorId: null,
      kind: "message_sent",
      details: JSON.stringify({ channel: "whatsapp" }),
    });
    // The reminders' own task for an untouched customer: it goes with the customer.
    const hari = await byPhone(business, "+919876500009");
    const wishTask = await buildTask(models, business, {
      customerId: hari.id,
      createdById: null,
      title: "Wish Plain Hari",
    });
    expect((await business.reload()).customerCount).toBe(9);

    // The confirmation's counts, before anything is done.
    const managerCtx = await contextFor(db.current, business, manager);
    const plan = await planRevert(deps, managerCtx, record);
    expect(plan).toMatchObject({
      toDelete: 2,
      kept: 6,
      toRestore: 1,
      toUntag: 1,
      createdTags: ["newtag", "vip"],
      createdTagCount: 2,
    });
    expect(plan.keptReasons).toEqual([
      { reason: "edited", label: "edited since", count: 1 },
      { reason: "note", label: "with notes", count: 1 },
      { reason: "task", label: "with tasks", count: 1 },
      { reason: "tagged", label: "tagged by hand", count: 1 },
      { reason: "merged", label: "merged with another customer", count: 1 },
      { reason: "messaged", label: "sent a message", count: 1 },
    ]);
    expect(await namesOf(business)).toHaveLength(9);
    // Folded in the database (as for imports with thousands kept), the counts are the same.
    expect(await keptCounts(deps, record)).toEqual({
      total: 6,
      reasons: plan.keptReasons.map(({ reason, count }) => ({ reason, count })),
    });

    await requestRevert(deps, record, manager.id);
    expect((await runRevert(deps, managerCtx, record.id)).kind).toBe("done");

    // Kept: the six worked on; gone: the two untouched, with the reminders' task.
    expect(await namesOf(business)).toEqual([
      "Asha Renamed",
      "Before Existing",
      "Merged Esha",
      "Messaged Farah",
      "Noted Bala",
      "Tagged Dev",
      "Tasked Chitra",
    ]);
    expect((await business.reload()).customerCount).toBe(7);
    expect(await models.Note.findByPk(note.id)).not.toBeNull();
    expect((await models.Task.findByPk(task.id))?.customerId).toBe(chitra.id);
    expect(await models.Task.findByPk(wishTask.id)).toBeNull();
    // The existing customer is back as it was, the tag the import gave it taken off.
    await existing.reload({ include: [{ model: models.Tag, as: "tags" }] });
    expect(existing).toMatchObject({ name: "Before Existing", email: null });
    expect(existing.tags).toEqual([]);
    // Tags it created: "newtag" was left on nobody and goes; "vip" is on kept customers.
    const tags = await models.Tag.findAll({ where: { businessId: business.id }, order: ["name"] });
    expect(tags.map((t) => t.name)).toEqual(["hand", "vip"]);

    // The result: counts in the import's history, a notification for whoever asked.
    expect(await models.Import.findByPk(record.id)).toMatchObject({
      status: "reverted",
      revertedById: manager.id,
      revertedDeletedCount: 2,
      revertedRestoredCount: 1,
      revertedKeptCount: 6,
      revertedTagsCount: 1,
    });
    const notices = await models.Notification.findAll({
      where: { userId: { [Op.in]: [owner.id, manager.id] }, kind: "import_reverted" },
    });
    expect(notices.map((n) => [n.userId, n.title, n.body, n.link])).toEqual([
      [
        manager.id,
        "Undo of the import of keeps.csv finished",
        "2 customers deleted, 1 restored, 6 kept because of work done since, 1 tag removed.",
        `/imports/${record.id}`,
      ],
    ]);
    const kept = await keptAfterRevert(deps, managerCtx, await record.reload());
    expect(kept.customers.map((c) => [c.name, c.reasons])).toEqual([
      ["Asha Renamed", ["edited since"]],
      ["Noted Bala", ["has notes"]],
      ["Tasked Chitra", ["has tasks"]],
      ["Tagged Dev", ["tagged by hand"]],
      ["Merged Esha", ["merged with another customer"]],
      ["Messaged Farah", ["was sent a message"]],
    ]);
    expect(kept.more).toBe(0);
  });

  it("keeps a customer a later import changed, and one with a note written without its event", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = testImportDeps(db.current);
    const first = await importFile(
      deps,
      business,
      owner,
      csv("first.csv", ["name,phone", "Asha,9876500001", "Bala,9876500002", "Chitra,9876500003"]),
    );
    await importFile(
      deps,
      business,
      owner,
      csv("second.csv", ["name,phone", "Asha K,9876500001"]),
      {
        mode: "update",
      },
    );
    // As the demo seeder writes its notes: the row alone.
    const bala = await byPhone(business, "+919876500002");
    await models.Note.create({
      businessId: business.id,
      customerId: bala.id,
      authorId: owner.id,
      body: "Pays by UPI.",
    });
    // Who turned "Import finished" off hears nothing of the undo either.
    await owner.update({ notificationPrefs: JSON.stringify({ importFinished: false }) });
    await requestRevert(deps, first, owner.id);
    expect((await revertById(deps, first.id)).kind).toBe("done");
    expect(await namesOf(business)).toEqual(["Asha K", "Bala"]);
    expect(
      await models.Notification.count({ where: { userId: owner.id, kind: "import_reverted" } }),
    ).toBe(0);
    const ctx = await contextFor(db.current, business, owner);
    const kept = await keptAfterRevert(deps, ctx, await first.reload());
    expect(kept.customers.map((c) => [c.name, c.reasons])).toEqual([
      ["Asha K", ["changed by a later import"]],
      ["Bala", ["has notes"]],
    ]);
    expect((await business.reload()).customerCount).toBe(2);
  });

  it("stops at a checkpoint when asked, and the next run finishes with exact counts", async () => {
    const { models, sequelize } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = testImportDeps(db.current, { batchSize: 10 });
    const rows = Array.from(
      { length: 35 },
      (_, i) => `Person ${String(i).padStart(2, "0")},98765${String(i).padStart(5, "0")}`,
    );
    const record = await importFile(
      deps,
      business,
      owner,
      csv("stop.csv", ["name,phone", ...rows]),
    );
    expect(record.createdCount).toBe(35);
    const ctx = await contextFor(db.current, business, owner);
    const full: Deps = { ...testDeps(db.current), config: deps.config };
    // Work on one customer of the first batch and one of the last.
    for (const phone of ["+919876500003", "+919876500030"])
      await addNote(full, ctx, await byPhone(business, phone), "Keep me.");
    await requestRevert(deps, record, owner.id);

    const stop = new AbortController();
    let checkpoints = 0;
    const query = sequelize.query.bind(sequelize) as (sql: string, o?: object) => Promise<unknown>;
    const watch = jest.spyOn(sequelize, "query").mockImplementation(((sql: string, o?: object) => {
      if (sql.startsWith("UPDATE imports SET revert_customer_cursor") && ++checkpoints === 2)
        stop.abort();
      return query(sql, o);
    }) as unknown as typeof sequelize.query);
    try {
      const outcome = await runRevert(deps, await importContext(deps, record.id), record.id, {
        signal: stop.signal,
      });
      expect(outcome).toEqual({ kind: "stopped" });
    } finally {
      watch.mockRestore();
    }
    // Two batches of ten decided: one kept, nineteen deleted; the lease is free again.
    expect(await models.Import.findByPk(record.id)).toMatchObject({
      status: "reverting",
      revertedDeletedCount: 19,
      revertedKeptCount: 1,
      leaseOwner: null,
    });
    expect((await business.reload()).customerCount).toBe(16);

    expect((await revertById(deps, record.id)).kind).toBe("done");
    expect(await models.Import.findByPk(record.id)).toMatchObject({
      status: "reverted",
      revertedDeletedCount: 33,
      revertedKeptCount: 2,
    });
    expect(await namesOf(business)).toEqual(["Person 03", "Person 30"]);
    expect((await business.reload()).customerCount).toBe(2);
  });
});

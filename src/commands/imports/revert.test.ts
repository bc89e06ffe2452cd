import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildCustomer, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import { importFile, revertById, tempDir, testImportDeps } from "../../../test/support/imports";
import { requestRevert } from "./revert";

/** Undo: created customers go, changed fields come back unless changed again since. */
const db = useTestDatabase();
const dir = tempDir("crm-import-revert-");

function csv(name: string, lines: string[]): string {
  const target = path.join(dir, name);
  writeFileSync(target, `${lines.join("\n")}\n`);
  return target;
}

describe("undoing an import", () => {
  it("removes what it created and restores what it changed, unless changed since", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = testImportDeps(db.current);
    const keptName = await buildCustomer(models, business, {
      name: "Before One",
      email: "one@example.com",
      phoneE164: "+919876500001",
      tags: ["regular"],
    });
    const editedSince = await buildCustomer(models, business, {
      name: "Before Two",
      email: null,
      phoneE164: "+919876500002",
    });
    const record = await importFile(
      deps,
      business,
      owner,
      csv("undo.csv", [
        "name,phone,email,tags",
        "After One,9876500001,one-new@example.com,vip",
        "After Two,9876500002,two@example.com,",
        "New Three,9876500003,,vip",
        "New Four,9876500004,,",
      ]),
      { mode: "update" },
    );
    expect(record).toMatchObject({ status: "completed", createdCount: 2, updatedCount: 2 });
    expect((await business.reload()).customerCount).toBe(4);
    // Someone edits a customer after the import: that edit must survive the undo.
    await editedSince.update({ name: "Edited By Hand" });

    const reverting = await requestRevert(deps, record, owner.id);
    expect(reverting.status).toBe("reverting");
    expect((await revertById(deps, record.id)).kind).toBe("done");

    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(2);
    expect((await business.reload()).customerCount).toBe(2);
    await keptName.reload({ include: [{ model: models.Tag, as: "tags" }] });
    expect(keptName).toMatchObject({
      name: "Before One",
      nameKey: "before one",
      email: "one@example.com",
    });
    expect(keptName.tags?.map((t) => t.name)).toEqual(["regular"]);
    await editedSince.reload();
    expect(editedSince).toMatchObject({ name: "Edited By Hand", email: null });
    expect(await record.reload()).toMatchObject({
      status: "reverted",
      revertedById: owner.id,
      revertedDeletedCount: 2,
      revertedRestoredCount: 2,
      revertedKeptCount: 0,
      revertedTagsCount: 1,
    });
    // "vip" was the import's own tag, now on no customer; "regular" was there before.
    const tags = await models.Tag.findAll({ where: { businessId: business.id } });
    expect(tags.map((t) => t.name)).toEqual(["regular"]);
    const undoEvents = await models.TimelineEvent.findAll({
      where: { businessId: business.id, customerId: keptName.id, kind: "updated" },
    });
    expect(undoEvents).toHaveLength(1);
    expect(JSON.parse(undoEvents[0]!.details ?? "{}")).toMatchObject({
      revertedImportId: record.id,
      changes: { name: ["After One", "Before One"] },
    });
  });

  it("is refused once the undo window has passed", async () => {
    const { models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, country: "IN" });
    const deps = testImportDeps(db.current, { revertDays: 0 });
    const record = await importFile(
      deps,
      business,
      owner,
      csv("late.csv", ["name,phone", "Asha,9876500001"]),
    );
    await expect(requestRevert(deps, record, owner.id)).rejects.toMatchObject({ id: "conflict" });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(1);
  });
});

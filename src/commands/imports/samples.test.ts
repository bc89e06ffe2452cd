import path from "node:path";
import { Op } from "sequelize";
import { buildBusiness, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import {
  countsOf,
  importFile,
  sampleCsv,
  sampleXlsx,
  testImportDeps,
} from "../../../test/support/imports";

const db = useTestDatabase();

async function goldBusiness() {
  const owner = await buildUser(db.current.models, { planCode: "gold" });
  return buildBusiness(db.current.models, { owner, country: "IN" });
}

describe.each([
  ["CSV", sampleCsv],
  ["XLSX", sampleXlsx],
])("importing the sample %s file", (_label, file) => {
  it("creates 100 customers, skips all 100 on a second run, and updates all 100 in update mode", async () => {
    const deps = testImportDeps(db.current);
    const { models } = db.current;
    const { business, owner } = await goldBusiness();

    const first = await importFile(deps, business, owner, file);
    expect(await countsOf(models, first.id)).toEqual({
      status: "completed",
      created: 100,
      updated: 0,
      skipped: 0,
      failed: 0,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(100);
    await business.reload();
    expect(business.customerCount).toBe(100);

    // Ten-digit Indian numbers become +91…; WhatsApp defaults to the phone or keeps its own.
    const suresh = await models.Customer.findOne({
      where: { businessId: business.id, name: "Suresh Shah" },
      include: [{ model: models.Tag, as: "tags" }],
    });
    expect(suresh).toMatchObject({
      phoneE164: "+919684884548",
      whatsappE164: "+918647462368",
      email: "suresh.shah32@finedge.co",
      phoneNational: "9684884548",
    });
    expect(suresh?.consentAt?.toISOString()).toBe("2026-08-10T00:00:00.000Z");
    expect(suresh?.tags?.map((t) => t.name).sort()).toEqual(["premium", "vip"]);
    const sneha = await models.Customer.findOne({
      where: { businessId: business.id, name: "Sneha Menon" },
    });
    expect(sneha?.whatsappE164).toBe(sneha?.phoneE164);

    // Each customer's timeline says where it came from.
    const events = await models.TimelineEvent.findAll({
      where: { businessId: business.id, kind: "imported" },
    });
    expect(events).toHaveLength(100);
    expect(JSON.parse(events[0]!.details ?? "{}")).toEqual({
      importId: first.id,
      file: file.endsWith(".csv") ? "sample_customers_100.csv" : "sample_customers_100.xlsx",
    });

    // The person who started it is told it is done.
    const notice = await models.Notification.findOne({
      where: { userId: owner.id, dedupeKey: `import-finished-${first.id}` },
    });
    expect(notice).toMatchObject({
      kind: "import_finished",
      title: `Import of ${path.basename(file)} finished`,
      body: "100 created, 0 updated, 0 skipped as duplicates, 0 failed.",
      link: `/imports/${first.id}`,
    });

    const again = await importFile(deps, business, owner, file);
    expect(await countsOf(models, again.id)).toMatchObject({ created: 0, skipped: 100, failed: 0 });

    const update = await importFile(deps, business, owner, file, { mode: "update" });
    expect(await countsOf(models, update.id)).toMatchObject({
      created: 0,
      updated: 100,
      failed: 0,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(100);
    await business.reload();
    expect(business.customerCount).toBe(100);
    expect(
      await models.TimelineEvent.count({
        where: { businessId: business.id, kind: "imported", customerId: { [Op.ne]: 0 } },
      }),
    ).toBe(200);
  });
});

import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import {
  countsOf,
  importFile,
  tempDir,
  testImportDeps,
  uploadFile,
  importContext,
  inspectById,
  runById,
  startById,
} from "../../../test/support/imports";
import { FakeClock } from "../../lib/clock";
import type { ImportDeps } from "./deps";
import { parseSettings, updatableFields } from "./fields";
import { errorReport } from "./queries";
import { runImport } from "./run";

/** What an import does with each row: create, update, skip, or report it. */
const db = useTestDatabase();
const dir = tempDir("crm-import-run-");

function csv(name: string, lines: string[]): string {
  const target = path.join(dir, name);
  writeFileSync(target, `${lines.join("\n")}\n`);
  return target;
}

async function world(plan = "gold") {
  const owner = await buildUser(db.current.models, { planCode: plan });
  const { business } = await buildBusiness(db.current.models, { owner, country: "IN" });
  return { business, owner, deps: testImportDeps(db.current) };
}

async function reportOf(importId: number): Promise<string> {
  const record = await db.current.models.Import.findByPk(importId);
  let text = "";
  for await (const chunk of errorReport(db.current.models, record!)) text += String(chunk);
  return text.replace(/^\uFEFF/, "");
}

describe("running an import", () => {
  it("reports every problem of a failed row and the later copies of a phone number", async () => {
    const { business, owner, deps } = await world();
    const file = csv("mixed.csv", [
      "name,phone,email,birthday",
      "Asha Verma,9876543210,asha@example.com,1990-01-01",
      ",12345,not-an-email,1990-13-45",
      "Asha Again,+91 98765 43210,,",
      "=cmd|' /C calc'!A0,9876500002,,",
    ]);
    const record = await importFile(deps, business, owner, file);
    expect(await countsOf(db.current.models, record.id)).toEqual({
      status: "completed",
      created: 2,
      updated: 0,
      skipped: 1,
      failed: 1,
    });
    const report = (await reportOf(record.id)).trim().split("\n");
    expect(report[0]).toBe("Row,Errors,name,phone,email,birthday");
    expect(report[1]).toBe(
      "3,Name: Enter the customer's name. Phone: Enter a valid phone number. E-mail: Enter a valid e-mail address. Date of birth: Enter the date of birth as YYYY-MM-DD.,,12345,not-an-email,1990-13-45",
    );
    expect(report[2]).toBe(
      "4,Skipped: same phone number as row 2 of this file.,Asha Again,'+91 98765 43210,,",
    );
    expect(report).toHaveLength(3);
    // The formula-looking name was imported as text, not run.
    expect(
      await db.current.models.Customer.count({
        where: { businessId: business.id, name: "=cmd|' /C calc'!A0" },
      }),
    ).toBe(1);
  });

  it("in update mode overwrites or fills the chosen fields and merges tags", async () => {
    const { business, owner, deps } = await world();
    const existing = await buildCustomer(db.current.models, business, {
      name: "Old Name",
      phoneE164: "+919876543210",
      email: null,
      tags: ["regular"],
    });
    const other = await buildCustomer(db.current.models, business, {
      name: "Keep Me",
      phoneE164: "+919876500001",
      email: "keep@example.com",
    });
    const file = csv("update.csv", [
      "name,phone,email,tags",
      "New Name,9876543210,new@example.com,vip",
      "Changed,9876500001,changed@example.com,",
    ]);
    const record = await importFile(deps, business, owner, file, {
      mode: "update",
      update: { fields: ["email"], fillOnly: true },
    });
    expect(await countsOf(db.current.models, record.id)).toMatchObject({ updated: 2, created: 0 });
    await existing.reload({ include: [{ model: db.current.models.Tag, as: "tags" }] });
    await other.reload();
    // Only e-mail was chosen, and only where empty: the name stays, the empty e-mail is filled.
    expect(existing).toMatchObject({ name: "Old Name", email: "new@example.com" });
    expect(existing.tags?.map((t) => t.name).sort()).toEqual(["regular", "vip"]);
    expect(other).toMatchObject({ name: "Keep Me", email: "keep@example.com" });

    const overwrite = await importFile(deps, business, owner, file, { mode: "update" });
    expect(await countsOf(db.current.models, overwrite.id)).toMatchObject({ updated: 2 });
    await existing.reload();
    await other.reload();
    expect(existing).toMatchObject({
      name: "New Name",
      nameKey: "new name",
      email: "new@example.com",
    });
    expect(other).toMatchObject({ name: "Changed", email: "changed@example.com" });
  });

  it("lets a salesperson update only the customers they own", async () => {
    const { business, deps } = await world();
    const { user: seller } = await buildMember(db.current.models, business, "sales");
    const mine = await buildCustomer(db.current.models, business, {
      name: "Mine",
      ownerId: seller.id,
      phoneE164: "+919876543210",
    });
    const theirs = await buildCustomer(db.current.models, business, {
      name: "Theirs",
      phoneE164: "+919876500001",
    });
    const file = csv("sales.csv", [
      "name,phone",
      "Mine Renamed,9876543210",
      "Theirs Renamed,9876500001",
      "Fresh,9876500002",
    ]);
    const record = await importFile(deps, business, seller, file, { mode: "update" });
    expect(await countsOf(db.current.models, record.id)).toMatchObject({
      created: 1,
      updated: 1,
      skipped: 1,
    });
    expect((await mine.reload()).name).toBe("Mine Renamed");
    expect((await theirs.reload()).name).toBe("Theirs");
    const fresh = await db.current.models.Customer.findOne({
      where: { businessId: business.id, name: "Fresh" },
    });
    expect(fresh?.ownerId).toBe(seller.id);
  });

  it("refuses up front a file with more rows than the plan has room for, saying how many fit", async () => {
    const { business, owner, deps } = await world("free");
    await business.update({ customerCount: 480 });
    const rows = Array.from(
      { length: 30 },
      (_, i) => `Person ${i},98765${String(i).padStart(5, "0")}`,
    );
    const upload = await uploadFile(deps, business, owner, csv("big.csv", ["name,phone", ...rows]));
    const ready = (await inspectById(deps, upload.id))!;
    const settings = parseSettings(ready.settings);
    const error = await startById(deps, ready, {
      mapping: settings.mapping,
      mode: "skip",
      update: settings.update,
    }).catch((e: Error & { id?: string }) => e);
    expect(error).toMatchObject({ id: "plan_limit" });
    expect((error as Error).message).toBe(
      "This file has 30 rows, but your Free plan allows 500 customers and only 20 more fit. Remove rows from the file or upgrade your plan.",
    );
    expect((await ready.reload()).status).toBe("ready");
  });

  it("still stops exactly at the plan limit when others add customers meanwhile", async () => {
    const { business, owner, deps } = await world("free");
    const rows = Array.from(
      { length: 30 },
      (_, i) => `Person ${i},98765${String(i).padStart(5, "0")}`,
    );
    const upload = await uploadFile(
      deps,
      business,
      owner,
      csv("race.csv", ["name,phone", ...rows]),
    );
    const ready = (await inspectById(deps, upload.id))!;
    const settings = parseSettings(ready.settings);
    await startById(deps, ready, {
      mapping: settings.mapping,
      mode: "skip",
      update: settings.update,
    });
    await business.update({ customerCount: 490 });
    await runById(deps, ready.id);
    expect(await countsOf(db.current.models, ready.id)).toMatchObject({ created: 10, failed: 20 });
    expect((await business.reload()).customerCount).toBe(500);
    expect(await reportOf(ready.id)).toContain("customer limit is reached");
  });
});

describe("resuming an import", () => {
  async function startedImport(deps: ImportDeps, lines: string[]) {
    const { business, owner } = await world();
    const upload = await uploadFile(deps, business, owner, csv(`resume-${Date.now()}.csv`, lines));
    const ready = (await inspectById(deps, upload.id))!;
    const settings = parseSettings(ready.settings);
    await startById(deps, ready, {
      mapping: settings.mapping,
      mode: "skip",
      update: { fields: [...updatableFields], fillOnly: false },
    });
    return { business, record: ready };
  }

  it("continues after the last committed batch with exact counts and no duplicates", async () => {
    const deps = testImportDeps(db.current, { batchSize: 10 });
    const rows = Array.from(
      { length: 45 },
      (_, i) => `Person ${i},98765${String(i).padStart(5, "0")}`,
    );
    // A copy of row 2's number after the first batch, and a bad row on each side of it.
    rows.splice(5, 0, "Bad Early,123");
    rows.splice(25, 0, "Copy Of First,9876500000");
    rows.splice(30, 0, "Bad Late,456");
    const { business, record } = await startedImport(deps, ["name,phone", ...rows]);

    // A runner that dies after two batches: the third batch's transaction fails midway.
    const { models, sequelize } = db.current;
    let checkpoints = 0;
    const query = sequelize.query.bind(sequelize) as (
      sql: string,
      options?: object,
    ) => Promise<unknown>;
    const crash = jest
      .spyOn(sequelize, "query")
      .mockImplementation(((sql: string, options?: object) =>
        sql.startsWith("UPDATE imports SET processed_rows") && ++checkpoints === 3
          ? Promise.reject(new Error("simulated crash"))
          : query(sql, options)) as unknown as typeof sequelize.query);
    try {
      await expect(runById(deps, record.id)).rejects.toThrow("simulated crash");
    } finally {
      crash.mockRestore();
    }
    const halfway = await models.Import.findByPk(record.id);
    expect(halfway).toMatchObject({
      status: "running",
      processedRows: 20,
      createdCount: 19,
      failedCount: 1,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(19);

    expect((await runById(deps, record.id)).kind).toBe("done");
    expect(await countsOf(models, record.id)).toEqual({
      status: "completed",
      created: 45,
      updated: 0,
      skipped: 1,
      failed: 2,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(45);
    expect((await business.reload()).customerCount).toBe(45);
    expect(
      await models.TimelineEvent.count({ where: { businessId: business.id, kind: "imported" } }),
    ).toBe(45);
    const report = await reportOf(record.id);
    expect(report).toContain("Skipped: same phone number as row 2 of this file.");
    expect(report.trim().split("\n")).toHaveLength(4);
  });

  it("leaves an import to the runner that holds it, and says until when", async () => {
    const clock = new FakeClock("2030-01-01T10:00:00.250Z");
    const deps = { ...testImportDeps(db.current), clock };
    const { record } = await startedImport(deps, ["name,phone", "Asha,9876543210"]);
    const until = new Date("2030-01-01T10:01:00.750Z");
    await db.current.models.Import.update(
      { status: "running", leaseOwner: "someone-else", leaseExpiresAt: until, leaseEpoch: 4 },
      { where: { id: record.id } },
    );
    expect(await runById(deps, record.id)).toEqual({ kind: "held", until, epoch: 4 });
  });

  it("stops at a checkpoint when asked, gives the import up, and the next run finishes it", async () => {
    const deps = testImportDeps(db.current, { batchSize: 10 });
    const rows = Array.from(
      { length: 35 },
      (_, i) => `Person ${i},98765${String(i).padStart(5, "0")}`,
    );
    const { business, record } = await startedImport(deps, ["name,phone", ...rows]);
    const { models, sequelize } = db.current;
    const stop = new AbortController();
    // Shutdown arrives while the second batch is being written (the query itself is untouched).
    let checkpoints = 0;
    const query = sequelize.query.bind(sequelize) as (sql: string, o?: object) => Promise<unknown>;
    const watch = jest.spyOn(sequelize, "query").mockImplementation(((sql: string, o?: object) => {
      if (sql.startsWith("UPDATE imports SET processed_rows") && ++checkpoints === 2) stop.abort();
      return query(sql, o);
    }) as unknown as typeof sequelize.query);
    let claimedEpoch = 0;
    try {
      const outcome = await runImport(deps, await importContext(deps, record.id), record.id, {
        signal: stop.signal,
        onClaimed: async (claimed) => {
          claimedEpoch = claimed.leaseEpoch;
        },
      });
      expect(outcome).toEqual({ kind: "stopped" });
    } finally {
      watch.mockRestore();
    }
    // The batch in flight committed; nothing after it; the lease is free for the next runner.
    expect(claimedEpoch).toBe(1);
    expect(await models.Import.findByPk(record.id)).toMatchObject({
      status: "running",
      processedRows: 20,
      createdCount: 20,
      leaseOwner: null,
      leaseExpiresAt: null,
      leaseEpoch: 1,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(20);

    expect((await runById(deps, record.id)).kind).toBe("done");
    expect(await countsOf(models, record.id)).toMatchObject({ status: "completed", created: 35 });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(35);
    expect((await models.Import.findByPk(record.id))?.leaseEpoch).toBe(2);
  });
});

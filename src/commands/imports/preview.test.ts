import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor } from "../../../test/support/deps";
import {
  countsOf,
  inspectById,
  runById,
  startById,
  tempDir,
  testImportDeps,
  uploadFile,
} from "../../../test/support/imports";
import type { Import } from "../../models";
import { parseSettings, type StartOptions } from "./fields";
import { previewRows, type PreviewRow } from "./preview";

/** The mapping page's preview says what the import will do with each row, and the import does it. */
const db = useTestDatabase();
const dir = tempDir("crm-import-preview-");

const lines = [
  "name,phone,email",
  "Asha New,9876500001,asha@example.com",
  "Bala,9876500002,",
  "Bala Again,9876500002,",
  "Chitra,not a phone,",
  "Dev New,9876500004,",
];

async function setUp() {
  const { models } = db.current;
  const owner = await buildUser(models, { planCode: "gold" });
  const { business } = await buildBusiness(models, { owner, country: "IN" });
  const { user: sales } = await buildMember(models, business, "sales");
  await buildCustomer(models, business, {
    name: "Asha Old",
    phoneE164: "+919876500001",
    ownerId: sales.id,
  });
  await buildCustomer(models, business, { name: "Dev Old", phoneE164: "+919876500004" });
  const deps = testImportDeps(db.current);
  const file = path.join(dir, `preview-${business.id}.csv`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const uploaded = await uploadFile(deps, business, owner, file);
  const record = (await inspectById(deps, uploaded.id)) as Import;
  expect(record.status).toBe("ready");
  const options = (mode: "skip" | "update"): StartOptions => ({
    mapping: parseSettings(record.settings).mapping,
    mode,
    update: { fields: ["name", "email"], fillOnly: false },
  });
  return { deps, owner, sales, business, record, options };
}

const summary = (rows: PreviewRow[] | null) =>
  rows?.map(({ rowNumber, outcome }) => {
    if (outcome.kind !== "existing") return [rowNumber, outcome];
    const { action, customer, changes } = outcome;
    return [rowNumber, { action, customer: customer?.name ?? null, changes }];
  });

describe("the import preview", () => {
  it("marks repeats in the file and existing customers as the import will treat them", async () => {
    const { deps, owner, business, record, options } = await setUp();
    const ctx = await contextFor(db.current, business, owner);
    const { sequelize } = db.current;
    const query = jest.spyOn(sequelize, "query");
    let rows: PreviewRow[] | null;
    try {
      rows = await previewRows(deps, ctx, record, options("skip"));
      // One lookup of the rows' phone numbers, whatever the number of rows.
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }
    expect(summary(rows)).toEqual([
      [2, { action: "skip", customer: "Asha Old", changes: [] }],
      [3, { kind: "new" }],
      [4, { kind: "duplicate", ofRow: 3 }],
      [5, { kind: "invalid", messages: ["Phone: Enter a valid phone number."], fields: ["phone"] }],
      [6, { action: "skip", customer: "Dev Old", changes: [] }],
    ]);
    expect(summary(await previewRows(deps, ctx, record, options("update")))).toEqual([
      [2, { action: "update", customer: "Asha Old", changes: ["Name", "E-mail"] }],
      [3, { kind: "new" }],
      [4, { kind: "duplicate", ofRow: 3 }],
      [5, { kind: "invalid", messages: ["Phone: Enter a valid phone number."], fields: ["phone"] }],
      [6, { action: "update", customer: "Dev Old", changes: ["Name"] }],
    ]);

    // The import then does what the preview said.
    await startById(deps, record, options("skip"));
    expect((await runById(deps, record.id)).kind).toBe("done");
    expect(await countsOf(db.current.models, record.id)).toMatchObject({
      created: 1,
      updated: 0,
      skipped: 3,
      failed: 1,
    });
  });

  it("shows a sales member the customers of others as skipped, without naming them", async () => {
    const { deps, sales, business, record, options } = await setUp();
    const ctx = await contextFor(db.current, business, sales);
    const rows = await previewRows(deps, ctx, record, options("update"));
    expect(summary(rows)?.filter(([row]) => row === 2 || row === 6)).toEqual([
      [2, { action: "update", customer: "Asha Old", changes: ["Name", "E-mail"] }],
      [6, { action: "skip", customer: null, changes: [] }],
    ]);
  });
});

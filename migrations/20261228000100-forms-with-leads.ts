import { QueryTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * Lead-capture forms make leads, so they belong to the plans that have leads (Gold and
 * Enterprise). Silver had forms from the first plan rows, before forms existed: a Silver
 * business's submissions would have become leads it could not open. A data change of the plan
 * rows; no Silver business can have published a form before this runs (forms shipped with it).
 */
async function setSilverForms(
  qi: Parameters<Migration>[0]["context"],
  present: boolean,
): Promise<void> {
  const rows = await qi.sequelize.query<{ code: string; features: string }>(
    "SELECT code, features FROM plans WHERE code = 'silver'",
    { type: QueryTypes.SELECT },
  );
  for (const row of rows) {
    const features = (JSON.parse(row.features) as string[]).filter((f) => f !== "forms");
    if (present) features.push("forms");
    await qi.bulkUpdate("plans", { features: JSON.stringify(features) }, { code: row.code });
  }
}

export const up: Migration = async ({ context: qi }) => setSilverForms(qi, false);

export const down: Migration = async ({ context: qi }) => setSilverForms(qi, true);

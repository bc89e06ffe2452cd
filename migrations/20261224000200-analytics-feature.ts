import { QueryTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * Sales analytics (issue 12, item 9) belongs to the plans that have leads and deals (Gold and
 * Enterprise): it reports on them. A data change of the plan rows, idempotent either way.
 */
const plansWithAnalytics = ["gold", "enterprise"];

async function setFeature(
  qi: Parameters<Migration>[0]["context"],
  present: boolean,
): Promise<void> {
  const rows = await qi.sequelize.query<{ code: string; features: string }>(
    "SELECT code, features FROM plans",
    { type: QueryTypes.SELECT },
  );
  for (const row of rows) {
    if (!plansWithAnalytics.includes(row.code)) continue;
    const features = (JSON.parse(row.features) as string[]).filter((f) => f !== "analytics");
    if (present) features.push("analytics");
    await qi.bulkUpdate("plans", { features: JSON.stringify(features) }, { code: row.code });
  }
}

export const up: Migration = async ({ context: qi }) => setFeature(qi, true);

export const down: Migration = async ({ context: qi }) => setFeature(qi, false);

import { QueryTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * Campaign messages a month (issue 11, plan limits): a limit on every plan row beside
 * campaignsPerMonth. Free has no campaigns; -1 is unlimited.
 */
const messagesPerMonth: Record<string, number> = {
  free: 0,
  silver: 10_000,
  gold: 100_000,
  enterprise: -1,
};

async function setLimit(qi: Parameters<Migration>[0]["context"], present: boolean): Promise<void> {
  const rows = await qi.sequelize.query<{ code: string; limits: string }>(
    "SELECT code, limits FROM plans",
    { type: QueryTypes.SELECT },
  );
  for (const row of rows) {
    const limits = JSON.parse(row.limits) as Record<string, number>;
    delete limits.messagesPerMonth;
    if (present) limits.messagesPerMonth = messagesPerMonth[row.code] ?? -1;
    await qi.bulkUpdate("plans", { limits: JSON.stringify(limits) }, { code: row.code });
  }
}

export const up: Migration = async ({ context: qi }) => setLimit(qi, true);

export const down: Migration = async ({ context: qi }) => setLimit(qi, false);

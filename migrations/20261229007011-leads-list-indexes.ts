import type { Migration } from "../src/db/migrator";

/**
 * The leads list's composite indexes (issue 12: the list at 1M leads within the customer list's
 * budget). Every list and board read is `business_id = ? [AND filter] ORDER BY id DESC LIMIT n`:
 *
 * - (business_id, id): the unfiltered list. Without it MariaDB either walked the primary key
 *   backwards past every other business's leads or sorted all of this business's leads (a
 *   filesort of 1M rows) for 26 of them; customers have had theirs since customers_business_id.
 * - (business_id, source, id): the source filter, which had no index at all.
 * - (business_id, owner_id, stage, id): a sales member's list and board (they see their own
 *   leads: owner_id is in every one of their statements) filtered by stage, and the stage filter
 *   with an owner chosen — both read only the page's rows, newest first, from the index.
 */
const indexes: Array<{ name: string; fields: string[] }> = [
  { name: "leads_business_id", fields: ["business_id", "id"] },
  { name: "leads_business_source", fields: ["business_id", "source", "id"] },
  { name: "leads_business_owner_stage", fields: ["business_id", "owner_id", "stage", "id"] },
];

export const up: Migration = async ({ context: qi }) => {
  for (const index of indexes) await qi.addIndex("leads", index.fields, { name: index.name });
};

export const down: Migration = async ({ context: qi }) => {
  for (const index of [...indexes].reverse()) await qi.removeIndex("leads", index.name);
};

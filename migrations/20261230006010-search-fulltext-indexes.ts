import type { Migration } from "../src/db/migrator";

/**
 * Global search (issue 15) finds leads, deals, tickets, tasks and campaigns by the start of a
 * word of their text (commands/search/words.ts). A LIKE '%q%' read every row of the business
 * (~217 ms at 100,000 deals); an InnoDB FULLTEXT index answers `MATCH … AGAINST('+word*' IN
 * BOOLEAN MODE)` from its word list instead. MATCH names exactly an index's columns, so each
 * index lists the columns the search reads, in its order.
 *
 * The first FULLTEXT index of a table rebuilds it (InnoDB adds its hidden FTS_DOC_ID column):
 * minutes at millions of leads, during which writes to that table wait. MySQL/MariaDB only:
 * SQLite has no such index and the search keeps LIKE there.
 */
const indexes: Array<[table: string, name: string, columns: string[]]> = [
  ["deals", "deals_search_ft", ["title"]],
  ["tasks", "tasks_search_ft", ["title"]],
  ["tickets", "tickets_search_ft", ["subject"]],
  ["leads", "leads_search_ft", ["first_name", "last_name", "company", "email"]],
  ["campaigns", "campaigns_search_ft", ["name", "utm_campaign"]],
];

export const up: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== "mysql") return;
  for (const [table, name, columns] of indexes)
    await qi.sequelize.query(
      `ALTER TABLE ${table} ADD FULLTEXT INDEX ${name} (${columns.join(", ")})`,
    );
};

export const down: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== "mysql") return;
  for (const [table, name] of indexes) await qi.removeIndex(table, name);
};

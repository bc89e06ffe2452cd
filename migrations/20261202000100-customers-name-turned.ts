import type { Migration } from "../src/db/migrator";

/**
 * Names typed surname first ("shah suresh" for Suresh Shah, "shah suresh kumar" for Suresh Kumar
 * Shah) are found by a prefix of `name_turned`: the name key with its last word moved to the
 * front ("" for a one-word name, as `name_tail`). A virtual generated column, so every writer
 * (forms, API, importer, merge) keeps it right without knowing it, and an index range serves the
 * search as it serves name_key and name_tail (commands/customers/filter.ts). Adding it is
 * instant on MariaDB; only its index is built (~10 s at 1.1M customers).
 *
 * MySQL/MariaDB only: SQLite uses no index for LIKE here anyway, so the search writes the same
 * expression inline there (filter.ts), and Sequelize's SQLite schema reading (describeTable, which
 * table-rebuilding migrations use) does not know generated columns.
 */
export const nameTurnedSql = `IF(LOCATE(' ', name_key) = 0, '', CONCAT(SUBSTRING_INDEX(name_key, ' ', -1),
  ' ', LEFT(name_key, CHAR_LENGTH(name_key) - CHAR_LENGTH(SUBSTRING_INDEX(name_key, ' ', -1)) - 1)))`;

export const up: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== "mysql") return;
  await qi.sequelize.query(
    `ALTER TABLE customers ADD COLUMN name_turned VARCHAR(200)
     GENERATED ALWAYS AS (${nameTurnedSql}) VIRTUAL`,
  );
  await qi.addIndex("customers", ["business_id", "name_turned"], {
    name: "customers_business_name_turned",
  });
};

export const down: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== "mysql") return;
  await qi.removeIndex("customers", "customers_business_name_turned");
  await qi.sequelize.query("ALTER TABLE customers DROP COLUMN name_turned");
};

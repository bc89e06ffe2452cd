import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Bulk imports of customers: the import itself (file, options, progress checkpoint, lease), the
 * rows it could not take, and what it changed on existing customers (so it can be undone).
 * customers.import_id names the import that created a customer: undo deletes exactly those.
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  // MEDIUMTEXT on MySQL, where TEXT stops at 64 KB; SQLite's TEXT has no such limit (or option).
  const longText =
    qi.sequelize.getDialect() === "mysql" ? DataTypes.TEXT("medium") : DataTypes.TEXT;

  await qi.createTable(
    "imports",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      file_name: { type: DataTypes.STRING(255), allowNull: false },
      // Name of the stored copy under UPLOADS_DIR/imports; null once it has been removed.
      stored_name: { type: DataTypes.STRING(100), allowNull: true },
      file_size: { type: DataTypes.INTEGER, allowNull: false },
      format: { type: DataTypes.STRING(8), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false },
      mode: { type: DataTypes.STRING(8), allowNull: false, defaultValue: "skip" },
      // JSON: mapping, update fields, delimiter, sheet — what the run needs besides the file.
      settings: { type: DataTypes.TEXT, allowNull: false },
      // JSON: headers, sheets and the first rows, for the mapping page.
      inspection: { type: longText, allowNull: true },
      total_rows: { type: DataTypes.INTEGER, allowNull: true },
      // The checkpoint: records of the file consumed, advanced in the same transaction as the
      // customers of each batch, so a resumed run starts exactly after the last committed batch.
      processed_rows: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      updated_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      skipped_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      failed_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      error_id: { type: DataTypes.STRING(32), allowNull: true },
      error_message: { type: DataTypes.STRING(500), allowNull: true },
      // Bumped at each phase (inspect, run, revert): part of deterministic job ids.
      seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // One runner at a time: whoever holds an unexpired lease; it renews while it works.
      lease_owner: { type: DataTypes.STRING(40), allowNull: true },
      lease_expires_at: { type: DataTypes.DATE, allowNull: true },
      // Where the current run began (time and checkpoint), for the rate and the ETA.
      run_started_at: { type: DataTypes.DATE, allowNull: true },
      run_start_rows: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      started_at: { type: DataTypes.DATE, allowNull: true },
      finished_at: { type: DataTypes.DATE, allowNull: true },
      reverted_at: { type: DataTypes.DATE, allowNull: true },
      reverted_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      // The undo checkpoint: last import_changes id restored.
      revert_cursor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("imports", ["business_id", "created_at"], { name: "imports_business_created" });
  // The start-up reconcile looks for unfinished imports of every business.
  await qi.addIndex("imports", ["status"], { name: "imports_status" });

  await qi.createTable(
    "import_errors",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      import_id: columns.reference("imports"),
      source_row: { type: DataTypes.INTEGER, allowNull: false },
      // invalid | duplicate (of an earlier row of the file) | limit (plan limit reached)
      kind: { type: DataTypes.STRING(10), allowNull: false },
      // JSON array of the row's cells, as read.
      row_values: { type: longText, allowNull: false },
      messages: { type: DataTypes.TEXT, allowNull: false },
    },
    options,
  );
  await qi.addIndex("import_errors", ["business_id", "import_id", "source_row"], {
    name: "import_errors_business_import_row",
  });
  await qi.addIndex("import_errors", ["import_id"], { name: "import_errors_import" });

  await qi.createTable(
    "import_changes",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      import_id: columns.reference("imports"),
      customer_id: columns.reference("customers"),
      // JSON objects of the fields the import changed: their values before and after.
      before_values: { type: DataTypes.TEXT, allowNull: false },
      after_values: { type: DataTypes.TEXT, allowNull: false },
      // JSON array of tag ids the import added to the customer.
      added_tag_ids: { type: DataTypes.TEXT, allowNull: false },
    },
    options,
  );
  await qi.addIndex("import_changes", ["business_id", "import_id"], {
    name: "import_changes_business_import",
  });
  await qi.addIndex("import_changes", ["import_id"], { name: "import_changes_import" });
  await qi.addIndex("import_changes", ["customer_id"], { name: "import_changes_customer" });

  // No foreign key: an import row outlives nothing it created, and the check would cost every
  // insert of a million-row import.
  await qi.addColumn("customers", "import_id", { type: DataTypes.INTEGER, allowNull: true });
  await qi.addIndex("customers", ["business_id", "import_id"], {
    name: "customers_business_import",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("customers", "customers_business_import");
  await qi.removeColumn("customers", "import_id");
  await qi.dropTable("import_changes");
  await qi.dropTable("import_errors");
  await qi.dropTable("imports");
};

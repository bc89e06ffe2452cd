import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Leases that survive faults (src/db/lease.ts), and the job outbox (src/jobs/outbox.ts).
 *
 * - `imports.lease_expires_at` to milliseconds on MySQL: a whole-second DATETIME made a takeover
 *   scheduled a moment after the lease ended find it still "held" in the same second. SQLite keeps
 *   dates as text with milliseconds already.
 * - `imports.lease_epoch`: counts the claims of an import, so every holder's jobs have ids of their
 *   own (a takeover never reuses the id of a job the queue still holds or keeps).
 * - `job_outbox`: jobs the queue could not take (Redis unreachable), kept until a reconcile pass
 *   hands them over under the same job id.
 */
export const up: Migration = async ({ context: qi }) => {
  const mysql = qi.sequelize.getDialect() === "mysql";
  if (mysql)
    await qi.changeColumn("imports", "lease_expires_at", {
      type: DataTypes.DATE(3),
      allowNull: true,
    });
  await qi.addColumn("imports", "lease_epoch", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });

  await qi.createTable(
    "job_outbox",
    {
      id: columns.id(),
      queue: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      // The id the job gets on the queue, chosen before the first attempt: if that attempt did
      // reach Redis after all, handing the job over again is ignored.
      job_id: { type: DataTypes.STRING(200), allowNull: false },
      payload: { type: mysql ? DataTypes.TEXT("medium") : DataTypes.TEXT, allowNull: false },
      run_at: { type: DataTypes.DATE(3), allowNull: true },
      // JSON: the retry policy override, when the caller gave one.
      options: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions(qi),
  );
  await qi.addIndex("job_outbox", ["queue", "job_id"], {
    name: "job_outbox_job",
    unique: true,
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("job_outbox");
  if (qi.sequelize.getDialect() === "mysql") {
    await qi.removeColumn("imports", "lease_epoch");
    await qi.changeColumn("imports", "lease_expires_at", { type: DataTypes.DATE, allowNull: true });
  } else {
    // Sequelize rebuilds a SQLite table to drop a column; SQLite (3.35+) drops it in place.
    await qi.sequelize.query("ALTER TABLE imports DROP COLUMN lease_epoch");
  }
};

import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** What happens around customers: notes, timeline events, tasks, segments, notifications. */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);

  await qi.createTable(
    "notes",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      customer_id: columns.reference("customers"),
      author_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      body: { type: DataTypes.TEXT, allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("notes", ["business_id", "customer_id", "created_at"], {
    name: "notes_business_customer",
  });
  await qi.addIndex("notes", ["customer_id"], { name: "notes_customer" });

  await qi.createTable(
    "timeline_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      customer_id: columns.reference("customers"),
      actor_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      kind: { type: DataTypes.STRING(32), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("timeline_events", ["business_id", "customer_id", "created_at"], {
    name: "timeline_events_business_customer",
  });
  await qi.addIndex("timeline_events", ["customer_id"], { name: "timeline_events_customer" });

  await qi.createTable(
    "tasks",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      customer_id: columns.reference("customers", { allowNull: true, onDelete: "SET NULL" }),
      assignee_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      title: { type: DataTypes.STRING(200), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: true },
      priority: { type: DataTypes.STRING(8), allowNull: false },
      status: { type: DataTypes.STRING(12), allowNull: false },
      due_at: { type: DataTypes.DATE, allowNull: true },
      // The due time a reminder went out for: a changed due date earns a new reminder.
      reminded_for: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("tasks", ["business_id", "status", "due_at"], { name: "tasks_business_due" });
  await qi.addIndex("tasks", ["business_id", "assignee_id", "status"], {
    name: "tasks_business_assignee",
  });
  await qi.addIndex("tasks", ["business_id", "customer_id"], { name: "tasks_business_customer" });
  await qi.addIndex("tasks", ["status", "due_at"], { name: "tasks_status_due" });

  await qi.createTable(
    "segments",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      name: { type: DataTypes.STRING(120), allowNull: false },
      filters: { type: DataTypes.TEXT, allowNull: false },
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("segments", ["business_id", "name"], {
    unique: true,
    name: "segments_business_name_unique",
  });

  await qi.createTable(
    "notifications",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      kind: { type: DataTypes.STRING(32), allowNull: false },
      title: { type: DataTypes.STRING(200), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: true },
      link: { type: DataTypes.STRING(300), allowNull: true },
      // Makes a notification idempotent: a retried job cannot notify twice.
      dedupe_key: { type: DataTypes.STRING(120), allowNull: false },
      read_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("notifications", ["user_id", "business_id", "created_at"], {
    name: "notifications_user",
  });
  await qi.addIndex("notifications", ["user_id", "dedupe_key"], {
    unique: true,
    name: "notifications_user_dedupe_unique",
  });

  // One row per business and local date: the daily reminder run happens once, whatever restarts.
  await qi.createTable(
    "reminder_runs",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      local_date: { type: DataTypes.DATEONLY, allowNull: false },
      customer_count: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("reminder_runs", ["business_id", "local_date"], {
    unique: true,
    name: "reminder_runs_business_date_unique",
  });
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of [
    "reminder_runs",
    "notifications",
    "segments",
    "tasks",
    "timeline_events",
    "notes",
  ]) {
    await qi.dropTable(table);
  }
};

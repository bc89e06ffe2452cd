import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Outbound webhooks (src/webhooks): endpoints a business subscribes, the events it published, and
 * one delivery per (event, endpoint). A delivery's row is the source of truth of what is owed: the
 * reconciler re-queues pending ones, and its lease columns (src/db/lease.ts) keep two workers from
 * sending the same attempt at once.
 */
export const up: Migration = async ({ context: qi }) => {
  const mysql = qi.sequelize.getDialect() === "mysql";
  const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });
  await qi.createTable(
    "webhook_endpoints",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      url: { type: DataTypes.STRING(2048), allowNull: false },
      description: { type: DataTypes.STRING(200), allowNull: true },
      // JSON array of event types.
      events: { type: DataTypes.TEXT, allowNull: false },
      secret: { type: DataTypes.STRING(100), allowNull: false },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      disabled_reason: { type: DataTypes.STRING(300), allowNull: true },
      disabled_at: time(true),
      // The first failed attempt since the last success: auto-disable counts from it.
      failing_since: time(true),
      consecutive_failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_at: time(false),
      updated_at: time(false),
    },
    tableOptions(qi),
  );
  await qi.addIndex("webhook_endpoints", ["business_id"], { name: "webhook_endpoints_business" });

  await qi.createTable(
    "webhook_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // What receivers see as Webhook-Id and "id": the same on every attempt and replay.
      public_id: { type: DataTypes.STRING(40), allowNull: false, unique: true },
      type: { type: DataTypes.STRING(64), allowNull: false },
      // The exact JSON sent (and signed) on every attempt.
      body: { type: mysql ? DataTypes.TEXT("medium") : DataTypes.TEXT, allowNull: false },
      created_at: time(false),
    },
    tableOptions(qi),
  );
  await qi.addIndex("webhook_events", ["business_id", "id"], { name: "webhook_events_business" });

  await qi.createTable(
    "webhook_deliveries",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      endpoint_id: columns.reference("webhook_endpoints"),
      event_id: columns.reference("webhook_events"),
      // pending | delivered | failed (gave up) | cancelled (endpoint disabled)
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: time(true),
      last_attempt_at: time(true),
      response_status: { type: DataTypes.INTEGER, allowNull: true },
      duration_ms: { type: DataTypes.INTEGER, allowNull: true },
      last_error: { type: DataTypes.STRING(300), allowNull: true },
      delivered_at: time(true),
      replay_of_id: { type: DataTypes.INTEGER, allowNull: true },
      lease_owner: { type: DataTypes.STRING(40), allowNull: true },
      lease_expires_at: time(true),
      lease_epoch: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_at: time(false),
      updated_at: time(false),
    },
    tableOptions(qi),
  );
  // The reconciler's scan of owed deliveries, and an endpoint's log (newest first).
  await qi.addIndex("webhook_deliveries", ["status", "next_attempt_at"], {
    name: "webhook_deliveries_owed",
  });
  await qi.addIndex("webhook_deliveries", ["business_id", "endpoint_id", "id"], {
    name: "webhook_deliveries_log",
  });
  await qi.addIndex("webhook_deliveries", ["event_id"], { name: "webhook_deliveries_event" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("webhook_deliveries");
  await qi.dropTable("webhook_events");
  await qi.dropTable("webhook_endpoints");
};

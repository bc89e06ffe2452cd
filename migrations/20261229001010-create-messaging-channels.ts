import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * A business's messaging channels (issue 11): one row per (business, kind). WhatsApp rows carry the
 * Cloud API number and its sealed token; e-mail rows the sender identity and an optional sealed
 * SMTP URL. Inbound WhatsApp messages are kept by provider id so a webhook delivered twice lands
 * on the timeline once.
 */
export const up: Migration = async ({ context: qi }) => {
  const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });
  await qi.createTable(
    "messaging_channels",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // whatsapp | email
      kind: { type: DataTypes.STRING(16), allowNull: false },
      // WhatsApp: the webhook routes on phone_number_id, so it is unique across the platform.
      phone_number_id: { type: DataTypes.STRING(64), allowNull: true },
      waba_id: { type: DataTypes.STRING(64), allowNull: true },
      access_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      throughput_tier: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 80 },
      // Unique users per rolling 24 h; null = unlimited.
      messaging_limit_tier: { type: DataTypes.INTEGER, allowNull: true, defaultValue: 250 },
      // JSON array of the business's own opt-out words (STOP and UNSUBSCRIBE always count).
      opt_out_keywords: { type: DataTypes.TEXT, allowNull: true },
      // unconfigured | connected | failing
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "unconfigured" },
      last_tested_at: time(true),
      last_error: { type: DataTypes.STRING(500), allowNull: true },
      // E-mail (issue 11's e-mail half): null SMTP URL = the platform's SMTP.
      from_name: { type: DataTypes.STRING(120), allowNull: true },
      from_address: { type: DataTypes.STRING(254), allowNull: true },
      reply_to: { type: DataTypes.STRING(254), allowNull: true },
      smtp_url_sealed: { type: DataTypes.TEXT, allowNull: true },
      created_at: time(false),
      updated_at: time(false),
    },
    tableOptions(qi),
  );
  await qi.addIndex("messaging_channels", ["business_id", "kind"], {
    name: "messaging_channels_business_kind",
    unique: true,
  });
  await qi.addIndex("messaging_channels", ["phone_number_id"], {
    name: "messaging_channels_phone_number",
    unique: true,
  });

  await qi.createTable(
    "inbound_messages",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      channel: { type: DataTypes.STRING(16), allowNull: false },
      // The provider's message id (wamid…): a redelivered webhook finds it and changes nothing.
      provider_message_id: { type: DataTypes.STRING(191), allowNull: false },
      customer_id: columns.reference("customers", { allowNull: true, onDelete: "SET NULL" }),
      from_address: { type: DataTypes.STRING(64), allowNull: false },
      message_type: { type: DataTypes.STRING(32), allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: true },
      // opted_out | timeline | unmatched
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      received_at: time(false),
      created_at: time(false),
    },
    tableOptions(qi),
  );
  await qi.addIndex("inbound_messages", ["business_id", "provider_message_id"], {
    name: "inbound_messages_provider_id",
    unique: true,
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("inbound_messages");
  await qi.dropTable("messaging_channels");
};

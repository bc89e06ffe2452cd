import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Message templates of both channels (issue 11). WhatsApp ones are submitted to Meta and carry
 * its status; e-mail ones (subject, html_body) are the business's own and need no approval.
 */
export const up: Migration = async ({ context: qi }) => {
  const mysql = qi.sequelize.getDialect() === "mysql";
  const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });
  await qi.createTable(
    "message_templates",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // whatsapp | email
      channel: { type: DataTypes.STRING(16), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false },
      // Meta's code exactly ("en" is not "en_US").
      language: { type: DataTypes.STRING(16), allowNull: false },
      // MARKETING | UTILITY | AUTHENTICATION (WhatsApp); null for e-mail.
      category: { type: DataTypes.STRING(32), allowNull: true },
      header_text: { type: DataTypes.STRING(200), allowNull: true },
      body: { type: DataTypes.TEXT, allowNull: false },
      footer_text: { type: DataTypes.STRING(200), allowNull: true },
      // JSON array of { type, text, url?, phone? }.
      buttons: { type: DataTypes.TEXT, allowNull: true },
      // JSON object: "1" → { field: "customer.name" } or { fixed: "…" }.
      placeholder_map: { type: DataTypes.TEXT, allowNull: true },
      // draft | pending | approved | rejected
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
      rejection_reason: { type: DataTypes.STRING(500), allowNull: true },
      provider_template_id: { type: DataTypes.STRING(64), allowNull: true },
      submitted_at: time(true),
      status_synced_at: time(true),
      subject: { type: DataTypes.STRING(300), allowNull: true },
      html_body: { type: mysql ? DataTypes.TEXT("medium") : DataTypes.TEXT, allowNull: true },
      created_at: time(false),
      updated_at: time(false),
    },
    tableOptions(qi),
  );
  await qi.addIndex("message_templates", ["business_id", "channel", "name", "language"], {
    name: "message_templates_identity",
    unique: true,
  });
  await qi.addIndex("message_templates", ["provider_template_id"], {
    name: "message_templates_provider_id",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("message_templates");
};

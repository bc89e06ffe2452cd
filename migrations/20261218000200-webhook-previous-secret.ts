import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * A rotated webhook secret keeps signing beside the new one for a day (webhooks/signing.ts), so a
 * receiver can switch without refusing deliveries in between.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("webhook_endpoints", "previous_secret", {
    type: DataTypes.STRING(100),
    allowNull: true,
  });
  await qi.addColumn("webhook_endpoints", "previous_secret_until", {
    type: DataTypes.DATE(3),
    allowNull: true,
  });
};

export const down: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() === "mysql") {
    await qi.removeColumn("webhook_endpoints", "previous_secret_until");
    await qi.removeColumn("webhook_endpoints", "previous_secret");
  } else {
    // Sequelize rebuilds a SQLite table to drop a column; SQLite (3.35+) drops it in place.
    await qi.sequelize.query("ALTER TABLE webhook_endpoints DROP COLUMN previous_secret_until");
    await qi.sequelize.query("ALTER TABLE webhook_endpoints DROP COLUMN previous_secret");
  }
};

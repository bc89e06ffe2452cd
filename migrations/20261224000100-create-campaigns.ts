import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Campaign planning (issue 12, item 8): one row per campaign of any channel, its team, and the
 * sales targets the analytics page compares results with (item 9). The messaging issue (11) extends
 * `campaigns` with its own columns (template, audience rule, schedule, a send state beside the
 * planning status); nothing here is specific to a channel.
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
  const money = () => ({ type: DataTypes.BIGINT, allowNull: true });

  await qi.createTable(
    "campaigns",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      name: { type: DataTypes.STRING(150), allowNull: false },
      // lower(trim(name)): one campaign per name in a business on both dialects (leads name their
      // campaign by text, case-insensitively, so two "Launch" campaigns would share their leads).
      name_key: { type: DataTypes.STRING(150), allowNull: false },
      objective: text(500),
      channel: { type: DataTypes.STRING(16), allowNull: false },
      audience: text(500),
      product_line: text(150),
      starts_on: { type: DataTypes.DATEONLY, allowNull: true },
      ends_on: { type: DataTypes.DATEONLY, allowNull: true },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      // Integer minor units (paise); BIGINT as deals.
      budget_minor: money(),
      expected_spend_minor: money(),
      actual_spend_minor: money(),
      planned_leads: { type: DataTypes.INTEGER, allowNull: true },
      owner_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      // The planning status (planned, active, paused, completed). A sending campaign's progress
      // (draft, scheduled, sending …) is a different fact and gets its own column later.
      status: { type: DataTypes.STRING(16), allowNull: false },
      priority: { type: DataTypes.STRING(8), allowNull: false },
      // JSON array of { label, done }.
      compliance: { type: DataTypes.TEXT, allowNull: true },
      external_id: text(191),
      utm_campaign: text(191),
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("campaigns", ["business_id", "name_key"], {
    unique: true,
    name: "campaigns_business_name_unique",
  });
  await qi.addIndex("campaigns", ["business_id", "status", "id"], {
    name: "campaigns_business_status",
  });

  await qi.createTable(
    "campaign_members",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      campaign_id: columns.reference("campaigns"),
      user_id: columns.reference("users"),
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("campaign_members", ["campaign_id", "user_id"], {
    unique: true,
    name: "campaign_members_unique",
  });
  await qi.addIndex("campaign_members", ["business_id", "campaign_id"], {
    name: "campaign_members_business_campaign",
  });

  await qi.createTable(
    "sales_targets",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      // YYYY-MM: the target applies from this month until a later row replaces it.
      month: { type: DataTypes.STRING(7), allowNull: false },
      amount_minor: { type: DataTypes.BIGINT, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("sales_targets", ["business_id", "user_id", "month"], {
    unique: true,
    name: "sales_targets_member_month_unique",
  });

  // Attribution reads leads by campaign name or utm_campaign, case-insensitively: MariaDB's
  // utf8mb4_unicode_ci compares so on its own; SQLite needs the NOCASE collation in the index for
  // `= … COLLATE NOCASE` to use it.
  if (qi.sequelize.getDialect() === "sqlite") {
    await qi.sequelize.query(
      "CREATE INDEX leads_business_campaign_name ON leads (business_id, campaign_name COLLATE NOCASE)",
    );
    await qi.sequelize.query(
      "CREATE INDEX leads_business_utm_campaign ON leads (business_id, utm_campaign COLLATE NOCASE)",
    );
  } else {
    await qi.addIndex("leads", ["business_id", "campaign_name"], {
      name: "leads_business_campaign_name",
    });
    await qi.addIndex("leads", ["business_id", "utm_campaign"], {
      name: "leads_business_utm_campaign",
    });
  }
  // Analytics counts leads of a period by stage, score, source and owner in one pass: a covering
  // index keeps that pass inside the index at a million leads.
  await qi.addIndex(
    "leads",
    ["business_id", "created_at", "stage", "score", "owner_id", "source"],
    {
      name: "leads_business_created_stats",
    },
  );
  // Won revenue by month reads closed deals by their closing time.
  await qi.addIndex("deals", ["business_id", "closed_at"], { name: "deals_business_closed" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("deals", "deals_business_closed");
  for (const name of [
    "leads_business_created_stats",
    "leads_business_utm_campaign",
    "leads_business_campaign_name",
  ])
    await qi.removeIndex("leads", name);
  for (const table of ["sales_targets", "campaign_members", "campaigns"]) await qi.dropTable(table);
};

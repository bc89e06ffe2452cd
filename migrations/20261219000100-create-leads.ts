import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** Leads (issue 12, item 2) and their own timeline. */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
  // A new object each time: Sequelize writes the column name into the definition it is given.
  const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });

  await qi.createTable(
    "leads",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      first_name: { type: DataTypes.STRING(100), allowNull: false },
      last_name: text(100),
      company: text(150),
      job_title: text(100),
      email: text(191),
      phone_e164: text(20),
      location: text(150),
      industry: text(100),
      source: text(60),
      // Free text until campaigns exist; named so a campaign_id can be derived from it later.
      campaign_name: text(150),
      // A code (new, contacted, qualified, lost, converted): configurable stages keep the codes.
      stage: { type: DataTypes.STRING(16), allowNull: false },
      score: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      status_reason: text(200),
      owner_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      last_contacted_at: { type: DataTypes.DATE, allowNull: true },
      next_action: text(200),
      next_action_on: { type: DataTypes.DATEONLY, allowNull: true },
      bant_budget: flag(),
      bant_authority: flag(),
      bant_need: flag(),
      bant_timeline: flag(),
      interested_products: { type: DataTypes.TEXT, allowNull: true },
      consent_email_at: { type: DataTypes.DATE, allowNull: true },
      consent_whatsapp_at: { type: DataTypes.DATE, allowNull: true },
      // Filled by the lead-capture forms (issue 12, item 1).
      utm_source: text(191),
      utm_medium: text(191),
      utm_campaign: text(191),
      utm_term: text(191),
      utm_content: text(191),
      referrer: text(500),
      landing_page: text(500),
      ...columns.timestamps(),
    },
    options,
  );
  // One lead per phone and per e-mail in a business (NULLs repeat freely on both dialects).
  await qi.addIndex("leads", ["business_id", "phone_e164"], {
    unique: true,
    name: "leads_business_phone_unique",
  });
  await qi.addIndex("leads", ["business_id", "email"], {
    unique: true,
    name: "leads_business_email_unique",
  });
  await qi.addIndex("leads", ["business_id", "stage", "id"], { name: "leads_business_stage" });
  await qi.addIndex("leads", ["business_id", "owner_id", "id"], { name: "leads_business_owner" });
  await qi.addIndex("leads", ["business_id", "score", "id"], { name: "leads_business_score" });

  await qi.createTable(
    "lead_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      lead_id: columns.reference("leads"),
      actor_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      kind: { type: DataTypes.STRING(32), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("lead_events", ["business_id", "lead_id", "id"], {
    name: "lead_events_business_lead",
  });
  await qi.addIndex("lead_events", ["lead_id"], { name: "lead_events_lead" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("lead_events");
  await qi.dropTable("leads");
};

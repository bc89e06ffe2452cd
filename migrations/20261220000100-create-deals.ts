import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** Deals: pipelines per business with ordered stages, the deals, and each deal's timeline. */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);

  await qi.createTable(
    "pipelines",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      name: { type: DataTypes.STRING(100), allowNull: false },
      // true for the business's default pipeline, NULL for the others: the unique index below then
      // allows one default per business (NULLs never collide), which makes creating the default
      // pipeline safe under concurrency — a second creator gets a duplicate key, not a twin.
      is_default: { type: DataTypes.BOOLEAN, allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("pipelines", ["business_id", "is_default"], {
    unique: true,
    name: "pipelines_business_default_unique",
  });

  await qi.createTable(
    "pipeline_stages",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      pipeline_id: columns.reference("pipelines"),
      name: { type: DataTypes.STRING(60), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      probability: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // open, won or lost: what a deal in this stage means for totals, staleness and reasons.
      kind: { type: DataTypes.STRING(8), allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("pipeline_stages", ["pipeline_id", "name"], {
    unique: true,
    name: "pipeline_stages_pipeline_name_unique",
  });
  await qi.addIndex("pipeline_stages", ["business_id", "pipeline_id", "position"], {
    name: "pipeline_stages_business_pipeline",
  });

  await qi.createTable(
    "deals",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      pipeline_id: columns.reference("pipelines"),
      // A stage with deals cannot be deleted (the command moves them first): RESTRICT says so too.
      stage_id: columns.reference("pipeline_stages", { onDelete: "RESTRICT" }),
      title: { type: DataTypes.STRING(200), allowNull: false },
      customer_id: columns.reference("customers", { allowNull: true, onDelete: "SET NULL" }),
      // Integer minor units (paise, cents): no floating point money. BIGINT: crores of rupees.
      amount_minor: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      expected_close_on: { type: DataTypes.DATEONLY, allowNull: true },
      owner_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      reason: { type: DataTypes.STRING(500), allowNull: true },
      last_activity_at: { type: DataTypes.DATE, allowNull: false },
      closed_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("deals", ["business_id", "stage_id", "id"], { name: "deals_business_stage" });
  await qi.addIndex("deals", ["business_id", "owner_id", "id"], { name: "deals_business_owner" });
  await qi.addIndex("deals", ["business_id", "last_activity_at"], {
    name: "deals_business_activity",
  });
  await qi.addIndex("deals", ["business_id", "customer_id"], { name: "deals_business_customer" });

  await qi.createTable(
    "deal_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      deal_id: columns.reference("deals"),
      actor_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      kind: { type: DataTypes.STRING(32), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("deal_events", ["business_id", "deal_id", "id"], {
    name: "deal_events_business_deal",
  });
  await qi.addIndex("deal_events", ["deal_id"], { name: "deal_events_deal" });
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of ["deal_events", "deals", "pipeline_stages", "pipelines"]) {
    await qi.dropTable(table);
  }
};

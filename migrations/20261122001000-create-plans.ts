import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

// Reference data: the plan rows every install needs. Limits: -1 means unlimited.
const plans = [
  {
    code: "free",
    name: "Free",
    price_minor: 0,
    sort_order: 1,
    limits: {
      businesses: 1,
      customers: 500,
      teamSeats: 2,
      campaignsPerMonth: 2,
      socialAccounts: 1,
      forms: 1,
    },
    features: ["customers", "tasks"],
  },
  {
    code: "silver",
    name: "Silver",
    price_minor: 99900,
    sort_order: 2,
    limits: {
      businesses: 2,
      customers: 10000,
      teamSeats: 5,
      campaignsPerMonth: 20,
      socialAccounts: 3,
      forms: 5,
    },
    features: ["customers", "tasks", "imports", "segments", "campaigns", "forms"],
  },
  {
    code: "gold",
    name: "Gold",
    price_minor: 249900,
    sort_order: 3,
    limits: {
      businesses: 5,
      customers: 100000,
      teamSeats: 20,
      campaignsPerMonth: 100,
      socialAccounts: 10,
      forms: 20,
    },
    features: [
      "customers",
      "tasks",
      "imports",
      "segments",
      "campaigns",
      "forms",
      "social",
      "api",
      "leads",
      "deals",
    ],
  },
  {
    code: "enterprise",
    name: "Enterprise",
    price_minor: 749900,
    sort_order: 4,
    limits: {
      businesses: -1,
      customers: -1,
      teamSeats: -1,
      campaignsPerMonth: -1,
      socialAccounts: -1,
      forms: -1,
    },
    features: [
      "customers",
      "tasks",
      "imports",
      "segments",
      "campaigns",
      "forms",
      "social",
      "api",
      "leads",
      "deals",
      "tickets",
      "webhooks",
    ],
  },
];

export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "plans",
    {
      id: columns.id(),
      code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(64), allowNull: false },
      price_minor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: "INR" },
      limits: { type: DataTypes.TEXT, allowNull: false },
      features: { type: DataTypes.TEXT, allowNull: false },
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  const now = new Date();
  await qi.bulkInsert(
    "plans",
    plans.map((plan) => ({
      ...plan,
      currency: "INR",
      limits: JSON.stringify(plan.limits),
      features: JSON.stringify(plan.features),
      created_at: now,
      updated_at: now,
    })),
  );
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("plans");
};

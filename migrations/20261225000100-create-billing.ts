import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** Yearly prices (GST excluded, paise): ten months' price, two months free. */
const yearly: Record<string, number> = {
  free: 0,
  silver: 999000,
  gold: 2499000,
  enterprise: 7499000,
};

/**
 * Billing (issue 13): yearly plan prices; one subscription per account (the plan belongs to the
 * owner's account, like users.plan_code, which stays the plan the gate reads); Razorpay orders and
 * payments (unique order id, payment id and receipt: a payment is applied once however often it is
 * reported); webhook event ids seen; refunds by their Razorpay id.
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });
  const text = (length: number, allowNull = true) => ({
    type: DataTypes.STRING(length),
    allowNull,
  });
  const money = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });

  await qi.addColumn("plans", "price_yearly_minor", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
  for (const [code, price] of Object.entries(yearly))
    await qi.bulkUpdate("plans", { price_yearly_minor: price }, { code });

  await qi.createTable(
    "subscriptions",
    {
      id: columns.id(),
      user_id: { ...columns.reference("users"), unique: true },
      // The business the account pays from: its billing details go on the invoices.
      billing_business_id: columns.reference("businesses", {
        allowNull: true,
        onDelete: "SET NULL",
      }),
      plan_code: text(32, false),
      // month | year; null while trialling
      billing_interval: text(8),
      // trialing | active | past_due | expired
      status: text(16, false),
      period_start: time(true),
      period_end: time(true),
      grace_until: time(true),
      cancel_at_period_end: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // A downgrade chosen for the period's end.
      next_plan_code: text(32),
      next_interval: text(8),
      // The open renewal order, when one waits to be paid.
      renewal_payment_id: { type: DataTypes.INTEGER, allowNull: true },
      created_at: time(false),
      updated_at: time(false),
    },
    options,
  );
  await qi.addIndex("subscriptions", ["status", "period_end"], { name: "subscriptions_due" });

  await qi.createTable(
    "payments",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      order_id: { ...text(64, false), unique: true },
      payment_id: { ...text(64), unique: true },
      receipt: { ...text(40, false), unique: true },
      // upgrade | renewal
      purpose: text(16, false),
      plan_code: text(32, false),
      billing_interval: text(8, false),
      list_minor: money(),
      credit_minor: money(),
      taxable_minor: money(),
      tax_minor: money(),
      amount_minor: money(),
      currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: "INR" },
      // created | failed | captured
      status: text(16, false),
      failure_reason: text(300),
      refunded_minor: money(),
      captured_at: time(true),
      period_start: time(true),
      period_end: time(true),
      created_at: time(false),
      updated_at: time(false),
    },
    options,
  );
  await qi.addIndex("payments", ["business_id", "id"], { name: "payments_business" });
  await qi.addIndex("payments", ["user_id", "id"], { name: "payments_user" });

  await qi.createTable(
    "razorpay_events",
    {
      id: columns.id(),
      event_id: { ...text(64, false), unique: true },
      event: text(64, false),
      outcome: text(32, false),
      created_at: time(false),
    },
    options,
  );

  await qi.createTable(
    "payment_refunds",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      payment_id: columns.reference("payments"),
      refund_id: { ...text(64, false), unique: true },
      amount_minor: money(),
      created_at: time(false),
    },
    options,
  );
  await qi.addIndex("payment_refunds", ["business_id", "id"], { name: "payment_refunds_business" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("payment_refunds");
  await qi.dropTable("razorpay_events");
  await qi.dropTable("payments");
  await qi.dropTable("subscriptions");
  await qi.removeColumn("plans", "price_yearly_minor");
};

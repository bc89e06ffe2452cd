import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

export type BillingInterval = "month" | "year";
/** trialing → active → past_due → expired (src/commands/billing/README in docs/decisions.md). */
export type SubscriptionStatus = "trialing" | "active" | "past_due" | "expired";
export type PaymentStatus = "created" | "failed" | "captured";
export type PaymentPurpose = "upgrade" | "renewal";

const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });

/**
 * An account's subscription: the plan it pays for (or tries), its period and what happens at the
 * period's end. users.plan_code stays the plan the gate reads; commands change both together.
 */
export class Subscription extends Model<
  InferAttributes<Subscription>,
  InferCreationAttributes<Subscription>
> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare billingBusinessId: number | null;
  declare planCode: string;
  declare billingInterval: BillingInterval | null;
  declare status: SubscriptionStatus;
  declare periodStart: Date | null;
  declare periodEnd: Date | null;
  declare graceUntil: CreationOptional<Date | null>;
  declare cancelAtPeriodEnd: CreationOptional<boolean>;
  declare nextPlanCode: CreationOptional<string | null>;
  declare nextInterval: CreationOptional<BillingInterval | null>;
  declare renewalPaymentId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Subscription {
    return Subscription.init(
      {
        id: idAttribute,
        userId: { type: DataTypes.INTEGER, allowNull: false },
        billingBusinessId: { type: DataTypes.INTEGER, allowNull: true },
        planCode: { type: DataTypes.STRING(32), allowNull: false },
        billingInterval: { type: DataTypes.STRING(8), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false },
        periodStart: time(true),
        periodEnd: time(true),
        graceUntil: time(true),
        cancelAtPeriodEnd: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        nextPlanCode: { type: DataTypes.STRING(32), allowNull: true },
        nextInterval: { type: DataTypes.STRING(8), allowNull: true },
        renewalPaymentId: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "subscriptions", modelName: "Subscription" },
    );
  }
}

/** One Razorpay order and what became of it. Amounts in paise; GST 18% on the taxable amount. */
export class Payment extends Model<InferAttributes<Payment>, InferCreationAttributes<Payment>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  declare orderId: string;
  declare paymentId: CreationOptional<string | null>;
  declare receipt: string;
  declare purpose: PaymentPurpose;
  declare planCode: string;
  declare billingInterval: BillingInterval;
  /** The plan's price for the interval, before the proration credit. */
  declare listMinor: number;
  /** Unused days of the paid period being replaced, taken off the list price. */
  declare creditMinor: number;
  declare taxableMinor: number;
  declare taxMinor: number;
  declare amountMinor: number;
  declare currency: CreationOptional<string>;
  declare status: PaymentStatus;
  declare failureReason: CreationOptional<string | null>;
  declare refundedMinor: CreationOptional<number>;
  declare capturedAt: CreationOptional<Date | null>;
  declare invoiceRequestedAt: CreationOptional<Date | null>;
  declare periodStart: CreationOptional<Date | null>;
  declare periodEnd: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Payment {
    const money = { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };
    return Payment.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        orderId: { type: DataTypes.STRING(64), allowNull: false },
        paymentId: { type: DataTypes.STRING(64), allowNull: true },
        receipt: { type: DataTypes.STRING(40), allowNull: false },
        purpose: { type: DataTypes.STRING(16), allowNull: false },
        planCode: { type: DataTypes.STRING(32), allowNull: false },
        billingInterval: { type: DataTypes.STRING(8), allowNull: false },
        listMinor: { ...money },
        creditMinor: { ...money },
        taxableMinor: { ...money },
        taxMinor: { ...money },
        amountMinor: { ...money },
        currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: "INR" },
        status: { type: DataTypes.STRING(16), allowNull: false },
        failureReason: { type: DataTypes.STRING(300), allowNull: true },
        refundedMinor: { ...money },
        capturedAt: time(true),
        invoiceRequestedAt: time(true),
        periodStart: time(true),
        periodEnd: time(true),
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "payments", modelName: "Payment" },
    );
  }
}

/** A Razorpay webhook event already handled (X-Razorpay-Event-Id). */
export class RazorpayEvent extends Model<
  InferAttributes<RazorpayEvent>,
  InferCreationAttributes<RazorpayEvent>
> {
  declare id: CreationOptional<number>;
  declare eventId: string;
  declare event: string;
  declare outcome: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof RazorpayEvent {
    return RazorpayEvent.init(
      {
        id: idAttribute,
        eventId: { type: DataTypes.STRING(64), allowNull: false },
        event: { type: DataTypes.STRING(64), allowNull: false },
        outcome: { type: DataTypes.STRING(32), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "razorpay_events", modelName: "RazorpayEvent", updatedAt: false },
    );
  }
}

/** A refund Razorpay processed, once per refund id (a credit note is requested for it). */
export class PaymentRefund extends Model<
  InferAttributes<PaymentRefund>,
  InferCreationAttributes<PaymentRefund>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare paymentId: number;
  declare refundId: string;
  declare amountMinor: number;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PaymentRefund {
    return PaymentRefund.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        paymentId: { type: DataTypes.INTEGER, allowNull: false },
        refundId: { type: DataTypes.STRING(64), allowNull: false },
        amountMinor: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "payment_refunds", modelName: "PaymentRefund", updatedAt: false },
    );
  }
}

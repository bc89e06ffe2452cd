import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

export type ChannelKind = "whatsapp" | "email";
export type ChannelStatus = "unconfigured" | "connected" | "failing";

/**
 * One messaging channel of a business (issue 11). Secrets are stored sealed (lib/secretBox.ts);
 * the plaintext token or SMTP URL is never an attribute of this model.
 */
export class MessagingChannel extends Model<
  InferAttributes<MessagingChannel>,
  InferCreationAttributes<MessagingChannel>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare kind: ChannelKind;
  declare phoneNumberId: CreationOptional<string | null>;
  declare wabaId: CreationOptional<string | null>;
  declare accessTokenSealed: CreationOptional<string | null>;
  /** Messages per second Meta allows this number: 80 or 1000. */
  declare throughputTier: CreationOptional<number>;
  /** Unique users per rolling 24 h (250, 2000, 10000, 100000); null = unlimited. */
  declare messagingLimitTier: CreationOptional<number | null>;
  /** JSON array of the business's own opt-out keywords. */
  declare optOutKeywords: CreationOptional<string | null>;
  declare status: CreationOptional<ChannelStatus>;
  declare lastTestedAt: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
  declare fromName: CreationOptional<string | null>;
  declare fromAddress: CreationOptional<string | null>;
  declare replyTo: CreationOptional<string | null>;
  /** Null: the platform's SMTP. */
  declare smtpUrlSealed: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof MessagingChannel {
    return MessagingChannel.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        phoneNumberId: { type: DataTypes.STRING(64), allowNull: true },
        wabaId: { type: DataTypes.STRING(64), allowNull: true },
        accessTokenSealed: { type: DataTypes.TEXT, allowNull: true },
        throughputTier: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 80 },
        messagingLimitTier: { type: DataTypes.INTEGER, allowNull: true, defaultValue: 250 },
        optOutKeywords: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "unconfigured" },
        lastTestedAt: { type: DataTypes.DATE(3), allowNull: true },
        lastError: { type: DataTypes.STRING(500), allowNull: true },
        fromName: { type: DataTypes.STRING(120), allowNull: true },
        fromAddress: { type: DataTypes.STRING(254), allowNull: true },
        replyTo: { type: DataTypes.STRING(254), allowNull: true },
        smtpUrlSealed: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "messaging_channels", modelName: "MessagingChannel" },
    );
  }
}

export type InboundOutcome = "opted_out" | "timeline" | "unmatched";

/** A message a customer sent the business (WhatsApp webhook), kept once per provider id. */
export class InboundMessage extends Model<
  InferAttributes<InboundMessage>,
  InferCreationAttributes<InboundMessage>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare channel: ChannelKind;
  declare providerMessageId: string;
  declare customerId: number | null;
  declare fromAddress: string;
  declare messageType: string;
  declare body: string | null;
  declare outcome: InboundOutcome;
  declare receivedAt: Date;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof InboundMessage {
    return InboundMessage.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        providerMessageId: { type: DataTypes.STRING(191), allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        fromAddress: { type: DataTypes.STRING(64), allowNull: false },
        messageType: { type: DataTypes.STRING(32), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: true },
        outcome: { type: DataTypes.STRING(16), allowNull: false },
        receivedAt: { type: DataTypes.DATE(3), allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      {
        sequelize,
        tableName: "inbound_messages",
        modelName: "InboundMessage",
        updatedAt: false,
      },
    );
  }
}

/**
 * An e-mail address the business's marketing e-mail skips: it hard-bounced (campaign sender or
 * DSN; commands/campaigns/suppression.ts). Lower case; one row per business and address.
 */
export class EmailSuppression extends Model<
  InferAttributes<EmailSuppression>,
  InferCreationAttributes<EmailSuppression>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare email: string;
  declare reason: string;
  declare campaignId: number | null;
  declare customerId: number | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof EmailSuppression {
    return EmailSuppression.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        email: { type: DataTypes.STRING(191), allowNull: false },
        reason: { type: DataTypes.STRING(500), allowNull: false },
        campaignId: { type: DataTypes.INTEGER, allowNull: true },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE(3),
      },
      {
        sequelize,
        tableName: "email_suppressions",
        modelName: "EmailSuppression",
        updatedAt: false,
      },
    );
  }
}

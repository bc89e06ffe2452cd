import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

/**
 * A recipient's status. queued → sending (claimed; requested_at once its request is out) → sent
 * → delivered → read; failed, bounced and opted_out are final; unknown is a send whose request was
 * out when its outcome was lost in a crash (never sent again).
 */
export const recipientStatuses = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "read",
  "failed",
  "unknown",
  "opted_out",
  "bounced",
] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export const recipientChannels = ["whatsapp", "email"] as const;
export type RecipientChannel = (typeof recipientChannels)[number];

/** One customer of one campaign's frozen audience: the record every send is idempotent against. */
export class CampaignRecipient extends Model<
  InferAttributes<CampaignRecipient>,
  InferCreationAttributes<CampaignRecipient>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare campaignId: number;
  declare customerId: number;
  declare channel: RecipientChannel;
  /** E.164 phone or lower-cased e-mail, frozen when the send started. */
  declare address: string;
  declare status: CreationOptional<RecipientStatus>;
  declare providerMessageId: string | null;
  declare errorCode: string | null;
  declare errorReason: string | null;
  declare retryable: CreationOptional<boolean>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date | null;
  declare sentAt: Date | null;
  declare deliveredAt: Date | null;
  declare readAt: Date | null;
  declare failedAt: Date | null;
  declare openedAt: Date | null;
  declare clickedAt: Date | null;
  /** When this attempt's request was about to leave (null: claimed, nothing sent yet). */
  declare requestedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CampaignRecipient {
    // A fresh object per attribute: Sequelize writes each attribute's column name into it.
    const at = () => ({ type: DataTypes.DATE, allowNull: true });
    return CampaignRecipient.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        campaignId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        address: { type: DataTypes.STRING(191), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "queued" },
        providerMessageId: { type: DataTypes.STRING(191), allowNull: true },
        errorCode: { type: DataTypes.STRING(32), allowNull: true },
        errorReason: { type: DataTypes.STRING(500), allowNull: true },
        retryable: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: at(),
        sentAt: at(),
        deliveredAt: at(),
        readAt: at(),
        failedAt: at(),
        openedAt: at(),
        clickedAt: at(),
        requestedAt: at(),
        ...timestampAttributes,
      },
      { sequelize, tableName: "campaign_recipients", modelName: "CampaignRecipient" },
    );
  }
}

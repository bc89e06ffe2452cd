import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";
import type { ChannelKind } from "./MessagingChannel";

export type TemplateStatus = "draft" | "pending" | "approved" | "rejected";
export type TemplateCategory = "MARKETING" | "UTILITY" | "AUTHENTICATION";

/**
 * A message template (issue 11). WhatsApp: body with {{1}}…{{n}}, each mapped in placeholderMap,
 * submitted to Meta for approval. E-mail: subject and htmlBody (the e-mail pages fill them).
 */
export class MessageTemplate extends Model<
  InferAttributes<MessageTemplate>,
  InferCreationAttributes<MessageTemplate>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare channel: ChannelKind;
  declare name: string;
  declare language: string;
  declare category: CreationOptional<string | null>;
  declare headerText: CreationOptional<string | null>;
  declare body: string;
  declare footerText: CreationOptional<string | null>;
  /** JSON array of buttons ({ type, text, url? }). */
  declare buttons: CreationOptional<string | null>;
  /** JSON object: "1" → { field: "customer.name" } | { fixed: "…" }. */
  declare placeholderMap: CreationOptional<string | null>;
  declare status: CreationOptional<TemplateStatus>;
  declare rejectionReason: CreationOptional<string | null>;
  declare providerTemplateId: CreationOptional<string | null>;
  declare submittedAt: CreationOptional<Date | null>;
  declare statusSyncedAt: CreationOptional<Date | null>;
  declare subject: CreationOptional<string | null>;
  declare htmlBody: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof MessageTemplate {
    return MessageTemplate.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        channel: { type: DataTypes.STRING(16), allowNull: false },
        name: { type: DataTypes.STRING(128), allowNull: false },
        language: { type: DataTypes.STRING(16), allowNull: false },
        category: { type: DataTypes.STRING(32), allowNull: true },
        headerText: { type: DataTypes.STRING(200), allowNull: true },
        body: { type: DataTypes.TEXT, allowNull: false },
        footerText: { type: DataTypes.STRING(200), allowNull: true },
        buttons: { type: DataTypes.TEXT, allowNull: true },
        placeholderMap: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
        rejectionReason: { type: DataTypes.STRING(500), allowNull: true },
        providerTemplateId: { type: DataTypes.STRING(64), allowNull: true },
        submittedAt: { type: DataTypes.DATE(3), allowNull: true },
        statusSyncedAt: { type: DataTypes.DATE(3), allowNull: true },
        subject: { type: DataTypes.STRING(300), allowNull: true },
        htmlBody: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "message_templates", modelName: "MessageTemplate" },
    );
  }
}

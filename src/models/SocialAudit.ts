import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

export const socialAuditActions = [
  "create",
  "edit",
  "delete",
  "schedule",
  "publish",
  "retry",
] as const;
export type SocialAuditAction = (typeof socialAuditActions)[number];

/** Who did what to a post, when, and what changed (JSON: field → [before, after]). */
export class SocialAudit extends Model<
  InferAttributes<SocialAudit>,
  InferCreationAttributes<SocialAudit>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  /** Null for the business's own work (the publisher). */
  declare userId: number | null;
  declare postId: number;
  declare action: SocialAuditAction;
  /** JSON text. */
  declare changes: string;
  declare at: Date;

  static initModel(sequelize: Sequelize): typeof SocialAudit {
    return SocialAudit.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        postId: { type: DataTypes.INTEGER, allowNull: false },
        action: { type: DataTypes.STRING(20), allowNull: false },
        changes: { type: DataTypes.TEXT, allowNull: false },
        at: { type: DataTypes.DATE(3), allowNull: false },
      },
      { sequelize, tableName: "social_audit", modelName: "SocialAudit", timestamps: false },
    );
  }
}

import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";
import type { SocialAccount } from "./SocialAccount";

export const socialTargetStatuses = [
  "pending",
  "publishing",
  "published",
  "failed",
  "unknown",
] as const;
export type SocialTargetStatus = (typeof socialTargetStatuses)[number];

/**
 * One post on one connected account. 'publishing' is claimed atomically before the network is
 * called; 'unknown' is a publish whose worker died mid-request (never retried on its own).
 */
export class SocialPostTarget extends Model<
  InferAttributes<SocialPostTarget>,
  InferCreationAttributes<SocialPostTarget>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare postId: number;
  declare socialAccountId: number;
  /** This network's own text; the post's text when null. */
  declare variantText: string | null;
  declare status: CreationOptional<SocialTargetStatus>;
  declare externalPostId: CreationOptional<string | null>;
  declare url: CreationOptional<string | null>;
  declare errorCause: CreationOptional<string | null>;
  declare errorMessage: CreationOptional<string | null>;
  declare errorFix: CreationOptional<string | null>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date | null;
  declare publishedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  declare account?: NonAttribute<SocialAccount>;

  static initModel(sequelize: Sequelize): typeof SocialPostTarget {
    return SocialPostTarget.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        postId: { type: DataTypes.INTEGER, allowNull: false },
        socialAccountId: { type: DataTypes.INTEGER, allowNull: false },
        variantText: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "pending" },
        externalPostId: { type: DataTypes.STRING(191), allowNull: true },
        url: { type: DataTypes.STRING(1000), allowNull: true },
        errorCause: { type: DataTypes.STRING(40), allowNull: true },
        errorMessage: { type: DataTypes.STRING(1000), allowNull: true },
        errorFix: { type: DataTypes.STRING(1000), allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: { type: DataTypes.DATE(3), allowNull: true },
        publishedAt: { type: DataTypes.DATE(3), allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "social_post_targets", modelName: "SocialPostTarget" },
    );
  }
}

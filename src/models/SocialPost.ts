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
import type { SocialMedia } from "./SocialMedia";
import type { SocialPostTarget } from "./SocialPostTarget";

export const socialPostStatuses = [
  "draft",
  "scheduled",
  "publishing",
  "published",
  "partially_failed",
  "failed",
] as const;
export type SocialPostStatus = (typeof socialPostStatuses)[number];

/** A post to one or more connected accounts; each account is a target (SocialPostTarget). */
export class SocialPost extends Model<
  InferAttributes<SocialPost>,
  InferCreationAttributes<SocialPost>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare authorUserId: number | null;
  declare text: string;
  declare status: CreationOptional<SocialPostStatus>;
  /** When it goes out (UTC); set for scheduled and published posts. */
  declare scheduledAt: Date | null;
  declare publishedAt: CreationOptional<Date | null>;
  /** An occasion code (commands/social/occasions.ts). */
  declare templateId: string | null;
  declare mediaId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  declare targets?: NonAttribute<SocialPostTarget[]>;
  declare media?: NonAttribute<SocialMedia | null>;

  static initModel(sequelize: Sequelize): typeof SocialPost {
    return SocialPost.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        authorUserId: { type: DataTypes.INTEGER, allowNull: true },
        text: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "draft" },
        scheduledAt: { type: DataTypes.DATE(3), allowNull: true },
        publishedAt: { type: DataTypes.DATE(3), allowNull: true },
        templateId: { type: DataTypes.STRING(40), allowNull: true },
        mediaId: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "social_posts", modelName: "SocialPost" },
    );
  }
}

/** The publisher's associations, wired by models/index.ts. */
export function wireSocialPostAssociations(models: {
  SocialPost: typeof SocialPost;
  SocialPostTarget: typeof SocialPostTarget;
  SocialMedia: typeof SocialMedia;
  SocialAccount: typeof SocialAccount;
}): void {
  const { SocialPost: P, SocialPostTarget: T, SocialMedia: M, SocialAccount: A } = models;
  P.hasMany(T, { foreignKey: "postId", as: "targets" });
  P.belongsTo(M, { foreignKey: "mediaId", as: "media" });
  T.belongsTo(A, { foreignKey: "socialAccountId", as: "account" });
}

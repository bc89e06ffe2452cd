import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

export const socialNetworks = ["linkedin", "facebook", "instagram", "x"] as const;
export type SocialNetwork = (typeof socialNetworks)[number];

/** disconnected: the person disconnected it; its tokens are wiped, its row kept for post history. */
export const socialAccountStatuses = ["connected", "needs_reconnect", "disconnected"] as const;
export type SocialAccountStatus = (typeof socialAccountStatuses)[number];

/**
 * One connected network account of a business. The tokens are sealed (secretBox); read them
 * through src/integrations/social/tokens.ts, never directly.
 */
export class SocialAccount extends Model<
  InferAttributes<SocialAccount>,
  InferCreationAttributes<SocialAccount>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare network: SocialNetwork;
  /** LinkedIn author URN, Facebook Page id, Instagram user id or X user id. */
  declare externalId: string;
  declare displayName: string;
  declare accessTokenSealed: string;
  declare refreshTokenSealed: string | null;
  declare tokenExpiresAt: Date | null;
  /** Space-separated scopes as granted. */
  declare scopes: CreationOptional<string>;
  declare status: CreationOptional<SocialAccountStatus>;
  declare lastError: CreationOptional<string | null>;
  declare connectedByUserId: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SocialAccount {
    return SocialAccount.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        network: { type: DataTypes.STRING(16), allowNull: false },
        externalId: { type: DataTypes.STRING(191), allowNull: false },
        displayName: { type: DataTypes.STRING(200), allowNull: false },
        accessTokenSealed: { type: DataTypes.TEXT, allowNull: false },
        refreshTokenSealed: { type: DataTypes.TEXT, allowNull: true },
        tokenExpiresAt: { type: DataTypes.DATE, allowNull: true },
        scopes: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: "" },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "connected" },
        lastError: { type: DataTypes.STRING(1000), allowNull: true },
        connectedByUserId: { type: DataTypes.INTEGER, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "social_accounts", modelName: "SocialAccount" },
    );
  }
}

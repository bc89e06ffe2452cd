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
 * A member's personal API token for one business (commands/personalTokens.ts). Only the hash of
 * the token is stored; `scopes` is a space-separated list such as "customers:read tasks:write".
 */
export class PersonalToken extends Model<
  InferAttributes<PersonalToken>,
  InferCreationAttributes<PersonalToken>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  declare name: string;
  /** The token's first characters (crm_pat_ and four more), to tell tokens apart in the list. */
  declare tokenHint: string;
  declare tokenHash: string;
  declare scopes: string;
  declare expiresAt: Date | null;
  declare lastUsedAt: CreationOptional<Date | null>;
  declare revokedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PersonalToken {
    return PersonalToken.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(80), allowNull: false },
        tokenHint: { type: DataTypes.STRING(24), allowNull: false },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false },
        scopes: { type: DataTypes.STRING(1000), allowNull: false },
        expiresAt: { type: DataTypes.DATE, allowNull: true },
        lastUsedAt: { type: DataTypes.DATE, allowNull: true },
        revokedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "personal_tokens", modelName: "PersonalToken" },
    );
  }
}

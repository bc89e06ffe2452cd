import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

export const tokenPurposes = ["activation", "password_reset", "email_change"] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

export class UserToken extends Model<
  InferAttributes<UserToken>,
  InferCreationAttributes<UserToken>
> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare purpose: TokenPurpose;
  declare tokenHash: string;
  /** Purpose-specific value, e.g. the new address of an e-mail change. */
  declare data: string | null;
  declare expiresAt: Date;
  declare usedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof UserToken {
    return UserToken.init(
      {
        id: idAttribute,
        userId: { type: DataTypes.INTEGER, allowNull: false },
        purpose: { type: DataTypes.STRING(32), allowNull: false },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false },
        data: { type: DataTypes.STRING(255), allowNull: true },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        usedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "user_tokens", modelName: "UserToken" },
    );
  }
}

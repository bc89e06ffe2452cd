import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare email: string;
  declare passwordHash: string | null;
  declare activatedAt: Date | null;
  declare isPlatformAdmin: CreationOptional<boolean>;
  declare googleId: CreationOptional<string | null>;
  declare avatarPath: CreationOptional<string | null>;
  /** JSON text of NotificationPreferences; null means the defaults. */
  declare notificationPrefs: CreationOptional<string | null>;
  /** The plan of this account; it applies to every business the account owns. */
  declare planCode: CreationOptional<string>;
  declare passwordChangedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof User {
    return User.init(
      {
        id: idAttribute,
        name: { type: DataTypes.STRING(120), allowNull: false },
        email: { type: DataTypes.STRING(191), allowNull: false, unique: true },
        passwordHash: { type: DataTypes.STRING(255), allowNull: true },
        activatedAt: { type: DataTypes.DATE, allowNull: true },
        isPlatformAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        googleId: { type: DataTypes.STRING(191), allowNull: true },
        avatarPath: { type: DataTypes.STRING(255), allowNull: true },
        notificationPrefs: { type: DataTypes.TEXT, allowNull: true },
        planCode: { type: DataTypes.STRING(32), allowNull: false, defaultValue: "free" },
        passwordChangedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "users", modelName: "User" },
    );
  }
}

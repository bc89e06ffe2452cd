import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import type { User } from "./User";
import { idAttribute, timestampAttributes } from "./attributes";

/** The tenant. Everything a team works on belongs to one business. */
export class Business extends Model<InferAttributes<Business>, InferCreationAttributes<Business>> {
  declare id: CreationOptional<number>;
  declare ownerId: number;
  declare name: string;
  declare category: string | null;
  declare description: string | null;
  declare phone: string | null;
  declare whatsapp: string | null;
  /** ISO 3166-1 alpha-2, the default country for phone numbers. */
  declare country: string;
  /** IANA zone, e.g. Asia/Kolkata: where "09:00" and "today" are. */
  declare timeZone: string;
  /** ISO 4217. */
  declare currency: string;
  /** Kept by the customer commands in the same transaction; the unfiltered list's total. */
  declare customerCount: CreationOptional<number>;
  /** The daily birthday/anniversary run gives each celebrated customer a "send wishes" task. */
  declare wishTasks: CreationOptional<boolean>;
  /** Raised by writes that change the dashboard's remembered counts (dashboard/versions.ts). */
  declare customersVersion: CreationOptional<number>;
  declare dealsVersion: CreationOptional<number>;
  /** Raised by writes to the lead stages and the members (commands/setup.ts). */
  declare setupVersion: CreationOptional<number>;
  declare owner?: NonAttribute<User>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Business {
    return Business.init(
      {
        id: idAttribute,
        ownerId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(120), allowNull: false },
        category: { type: DataTypes.STRING(64), allowNull: true },
        description: { type: DataTypes.TEXT, allowNull: true },
        phone: { type: DataTypes.STRING(20), allowNull: true },
        whatsapp: { type: DataTypes.STRING(20), allowNull: true },
        country: { type: DataTypes.STRING(2), allowNull: false },
        timeZone: { type: DataTypes.STRING(64), allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        customerCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        wishTasks: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        customersVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        dealsVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        setupVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestampAttributes,
      },
      { sequelize, tableName: "businesses", modelName: "Business" },
    );
  }
}

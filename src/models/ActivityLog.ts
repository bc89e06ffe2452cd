import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

export class ActivityLog extends Model<
  InferAttributes<ActivityLog>,
  InferCreationAttributes<ActivityLog>
> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare businessId: number | null;
  /** e.g. "auth.sign_in", "password.changed", "business.created". */
  declare action: string;
  declare ip: string | null;
  declare userAgent: string | null;
  /** JSON text of extra facts. */
  declare details: string | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ActivityLog {
    return ActivityLog.init(
      {
        id: idAttribute,
        userId: { type: DataTypes.INTEGER, allowNull: false },
        businessId: { type: DataTypes.INTEGER, allowNull: true },
        action: { type: DataTypes.STRING(64), allowNull: false },
        ip: { type: DataTypes.STRING(64), allowNull: true },
        userAgent: { type: DataTypes.STRING(255), allowNull: true },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "activity_logs", modelName: "ActivityLog", updatedAt: false },
    );
  }
}

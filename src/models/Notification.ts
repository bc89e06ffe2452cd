import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

/** An in-app notification for one member in one business. */
export class Notification extends Model<
  InferAttributes<Notification>,
  InferCreationAttributes<Notification>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  /** e.g. "task_due", "reminders". */
  declare kind: string;
  declare title: string;
  declare body: string | null;
  declare link: string | null;
  declare dedupeKey: string;
  declare readAt: Date | null;
  /** False when the person wants this kind by e-mail only: kept out of the bell and the list. */
  declare inApp: CreationOptional<boolean>;
  /** pending: the mail sweep will e-mail it; sent: it did; null: no e-mail from the sweep. */
  declare mailStatus: CreationOptional<"pending" | "sent" | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Notification {
    return Notification.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: true },
        link: { type: DataTypes.STRING(300), allowNull: true },
        dedupeKey: { type: DataTypes.STRING(120), allowNull: false },
        readAt: { type: DataTypes.DATE, allowNull: true },
        inApp: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        mailStatus: { type: DataTypes.STRING(8), allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "notifications", modelName: "Notification", updatedAt: false },
    );
  }
}

/** The daily birthday/anniversary run of one business on one local date (at most one). */
export class ReminderRun extends Model<
  InferAttributes<ReminderRun>,
  InferCreationAttributes<ReminderRun>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare localDate: string;
  declare customerCount: number;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ReminderRun {
    return ReminderRun.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        localDate: { type: DataTypes.DATEONLY, allowNull: false },
        customerCount: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "reminder_runs", modelName: "ReminderRun", updatedAt: false },
    );
  }
}

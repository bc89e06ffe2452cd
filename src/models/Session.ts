import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { timestampAttributes } from "./attributes";

/** A browser session row; middleware/session.ts reads and writes it through DatabaseSessionStore. */
export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  declare sid: string;
  declare userId: number | null;
  declare data: string;
  declare expiresAt: Date;
  declare lastSeenAt: Date;
  declare ip: string | null;
  declare userAgent: string | null;
  /** "browser" (cookie) or "api" (a refresh-token family). */
  declare kind: CreationOptional<"browser" | "api">;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Session {
    return Session.init(
      {
        sid: { type: DataTypes.STRING(64), primaryKey: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        data: { type: DataTypes.TEXT, allowNull: false },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        lastSeenAt: { type: DataTypes.DATE, allowNull: false },
        ip: { type: DataTypes.STRING(64), allowNull: true },
        userAgent: { type: DataTypes.STRING(255), allowNull: true },
        kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "browser" },
        ...timestampAttributes,
      },
      { sequelize, tableName: "sessions", modelName: "Session" },
    );
  }
}

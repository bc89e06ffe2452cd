import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

export const limitNames = [
  "businesses",
  "customers",
  "teamSeats",
  "campaignsPerMonth",
  "messagesPerMonth",
  "socialAccounts",
  "forms",
] as const;
export type LimitName = (typeof limitNames)[number];
/** -1 means unlimited. */
export type PlanLimits = Record<LimitName, number>;

export class Plan extends Model<InferAttributes<Plan>, InferCreationAttributes<Plan>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare priceMinor: number;
  /** The yearly price (GST excluded), in minor units. */
  declare priceYearlyMinor: CreationOptional<number>;
  declare currency: string;
  declare limits: string;
  declare features: string;
  declare sortOrder: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  limitValues(): PlanLimits {
    return JSON.parse(this.limits) as PlanLimits;
  }

  featureList(): string[] {
    return JSON.parse(this.features) as string[];
  }

  static initModel(sequelize: Sequelize): typeof Plan {
    return Plan.init(
      {
        id: idAttribute,
        code: { type: DataTypes.STRING(32), allowNull: false },
        name: { type: DataTypes.STRING(64), allowNull: false },
        priceMinor: { type: DataTypes.INTEGER, allowNull: false },
        priceYearlyMinor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        limits: { type: DataTypes.TEXT, allowNull: false },
        features: { type: DataTypes.TEXT, allowNull: false },
        sortOrder: { type: DataTypes.INTEGER, allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "plans", modelName: "Plan" },
    );
  }
}

import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

export const attemptOutcomes = [
  "open",
  "published",
  "retry",
  "failed",
  "deferred",
  "unknown",
] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** One call to a network for one target; written (open) before the call, closed after it. */
export class SocialPublishAttempt extends Model<
  InferAttributes<SocialPublishAttempt>,
  InferCreationAttributes<SocialPublishAttempt>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare targetId: number;
  declare startedAt: Date;
  declare finishedAt: CreationOptional<Date | null>;
  declare durationMs: CreationOptional<number | null>;
  declare requestSummary: string;
  declare responseSummary: CreationOptional<string | null>;
  declare error: CreationOptional<string | null>;
  declare outcome: CreationOptional<AttemptOutcome>;

  static initModel(sequelize: Sequelize): typeof SocialPublishAttempt {
    return SocialPublishAttempt.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        targetId: { type: DataTypes.INTEGER, allowNull: false },
        startedAt: { type: DataTypes.DATE(3), allowNull: false },
        finishedAt: { type: DataTypes.DATE(3), allowNull: true },
        durationMs: { type: DataTypes.INTEGER, allowNull: true },
        requestSummary: { type: DataTypes.STRING(1000), allowNull: false },
        responseSummary: { type: DataTypes.STRING(1000), allowNull: true },
        error: { type: DataTypes.STRING(1000), allowNull: true },
        outcome: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "open" },
      },
      {
        sequelize,
        tableName: "social_publish_attempts",
        modelName: "SocialPublishAttempt",
        timestamps: false,
      },
    );
  }
}

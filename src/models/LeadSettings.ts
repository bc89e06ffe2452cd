import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";
import type { User } from "./User";

/** What a scoring rule looks at (issue 12, item 3). */
export const scoringSubjects = ["field", "source", "campaign", "answer", "engagement"] as const;
export type ScoringSubject = (typeof scoringSubjects)[number];

export const scoringOperators = ["equals", "contains", "is_set", "greater_than"] as const;
export type ScoringOperator = (typeof scoringOperators)[number];

/** One "if … then ± points" rule of a business; all matching rules add up, clamped to 0–100. */
export class LeadScoringRule extends Model<
  InferAttributes<LeadScoringRule>,
  InferCreationAttributes<LeadScoringRule>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare subject: ScoringSubject;
  /** A lead field name (subject field), a form field key (answer) or event kinds, comma-separated. */
  declare field: string | null;
  declare operator: ScoringOperator;
  declare value: string | null;
  declare points: number;
  declare position: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof LeadScoringRule {
    return LeadScoringRule.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        subject: { type: DataTypes.STRING(16), allowNull: false },
        field: { type: DataTypes.STRING(100), allowNull: true },
        operator: { type: DataTypes.STRING(16), allowNull: false },
        value: { type: DataTypes.STRING(200), allowNull: true },
        points: { type: DataTypes.INTEGER, allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestampAttributes,
      },
      { sequelize, tableName: "lead_scoring_rules", modelName: "LeadScoringRule" },
    );
  }
}

/** The business's round-robin switch and turn counter (one row, made when first saved). */
export class LeadAssignmentSettings extends Model<
  InferAttributes<LeadAssignmentSettings>,
  InferCreationAttributes<LeadAssignmentSettings>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare enabled: boolean;
  /** Turns taken so far; the next lead takes turn + 1. */
  declare turn: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof LeadAssignmentSettings {
    return LeadAssignmentSettings.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        turn: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestampAttributes,
      },
      { sequelize, tableName: "lead_assignment_settings", modelName: "LeadAssignmentSettings" },
    );
  }
}

/** A member chosen to take leads in turn, and whether they are available now. */
export class LeadAssignmentMember extends Model<
  InferAttributes<LeadAssignmentMember>,
  InferCreationAttributes<LeadAssignmentMember>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  declare available: boolean;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare user?: NonAttribute<User>;

  static initModel(sequelize: Sequelize): typeof LeadAssignmentMember {
    return LeadAssignmentMember.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "lead_assignment_members", modelName: "LeadAssignmentMember" },
    );
  }
}

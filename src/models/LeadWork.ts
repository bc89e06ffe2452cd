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

/**
 * What a lead stage means, whatever the business calls it: `entry` is where new leads start (New),
 * `converted` and `lost` close a lead (conversion and the list's counts rely on them), `open` is
 * any stage in between. Exactly one stage of each closed kind and one entry stage exist.
 */
export const leadStageKinds = ["entry", "open", "converted", "lost"] as const;
export type LeadStageKind = (typeof leadStageKinds)[number];

/** One of a business's lead stages, keyed by the code leads.stage stores. */
export class LeadStageRow extends Model<
  InferAttributes<LeadStageRow>,
  InferCreationAttributes<LeadStageRow>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare code: string;
  declare name: string;
  declare position: number;
  declare kind: LeadStageKind;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof LeadStageRow {
    return LeadStageRow.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        code: { type: DataTypes.STRING(16), allowNull: false },
        name: { type: DataTypes.STRING(60), allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(10), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "lead_stages", modelName: "LeadStage" },
    );
  }
}

/** A note on a lead (customer notes need a customer; a lead has none until converted). */
export class LeadNote extends Model<InferAttributes<LeadNote>, InferCreationAttributes<LeadNote>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare leadId: number;
  declare authorId: number | null;
  declare body: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare author?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof LeadNote {
    return LeadNote.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        leadId: { type: DataTypes.INTEGER, allowNull: false },
        authorId: { type: DataTypes.INTEGER, allowNull: true },
        body: { type: DataTypes.TEXT, allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "lead_notes", modelName: "LeadNote" },
    );
  }
}

import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

/**
 * A business's first-run checklist state (issue 15): only whether it was dismissed, and by whom.
 * The items tick themselves off from real data, so nothing about them is stored.
 */
export class DashboardChecklist extends Model<
  InferAttributes<DashboardChecklist>,
  InferCreationAttributes<DashboardChecklist>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare dismissedAt: Date | null;
  declare dismissedById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof DashboardChecklist {
    return DashboardChecklist.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        dismissedAt: { type: DataTypes.DATE, allowNull: true },
        dismissedById: { type: DataTypes.INTEGER, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "dashboard_checklists", modelName: "DashboardChecklist" },
    );
  }
}

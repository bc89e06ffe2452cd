import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

/**
 * One feature event for the activity feed (issue 15) that has no event table of its own: a
 * campaign that finished sending, a social post published or failed on a network. Written by
 * commands/activityEvents.ts only; never changed afterwards.
 */
export class BusinessEvent extends Model<
  InferAttributes<BusinessEvent>,
  InferCreationAttributes<BusinessEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  /** The feed source it belongs to: "campaign" or "social". */
  declare source: string;
  declare kind: string;
  declare actorId: number | null;
  declare subjectId: number;
  declare subjectName: string;
  /** JSON: the numbers of the sentence (delivered, network…). */
  declare details: string | null;
  declare createdAt: Date;

  static initModel(sequelize: Sequelize): typeof BusinessEvent {
    return BusinessEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        source: { type: DataTypes.STRING(20), allowNull: false },
        kind: { type: DataTypes.STRING(40), allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: true },
        subjectId: { type: DataTypes.INTEGER, allowNull: false },
        subjectName: { type: DataTypes.STRING(200), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: { type: DataTypes.DATE(3), allowNull: false },
      },
      {
        sequelize,
        tableName: "business_events",
        modelName: "BusinessEvent",
        updatedAt: false,
      },
    );
  }
}

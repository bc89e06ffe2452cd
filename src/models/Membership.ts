import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";
import type { Role } from "../policies/permissions";
import type { Business } from "./Business";
import type { User } from "./User";

export class Membership extends Model<
  InferAttributes<Membership>,
  InferCreationAttributes<Membership>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  declare role: Role;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare business?: Business;
  declare user?: User;

  static initModel(sequelize: Sequelize): typeof Membership {
    return Membership.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "memberships", modelName: "Membership" },
    );
  }
}

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

export class Invitation extends Model<
  InferAttributes<Invitation>,
  InferCreationAttributes<Invitation>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare email: string;
  declare role: Role;
  declare tokenHash: string;
  declare invitedById: number | null;
  declare expiresAt: Date;
  declare acceptedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare business?: Business;

  static initModel(sequelize: Sequelize): typeof Invitation {
    return Invitation.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        email: { type: DataTypes.STRING(191), allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false },
        invitedById: { type: DataTypes.INTEGER, allowNull: true },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        acceptedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "invitations", modelName: "Invitation" },
    );
  }
}

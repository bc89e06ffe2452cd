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
import type { Tag } from "./Tag";
import type { User } from "./User";

/**
 * A customer of a business. The search columns (nameKey, nameTail, phoneNational, phoneReversed, birthdayMd,
 * anniversaryMd) are derived from the others by the customer commands, never by hooks.
 */
export class Customer extends Model<InferAttributes<Customer>, InferCreationAttributes<Customer>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare ownerId: number | null;
  declare name: string;
  declare nameKey: string;
  declare nameTail: string;
  declare email: string | null;
  declare phoneE164: string;
  declare phoneNational: string;
  declare phoneReversed: string;
  declare whatsappE164: string | null;
  declare consentAt: Date | null;
  /** Set by an opt-out (STOP, unsubscribe, by hand): no campaign sends to this customer again. */
  declare marketingOptedOutAt: CreationOptional<Date | null>;
  declare marketingOptOutReason: CreationOptional<string | null>;
  /** YYYY-MM-DD. */
  declare birthDate: string | null;
  declare anniversary: string | null;
  declare birthdayMd: number | null;
  declare anniversaryMd: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare tags?: NonAttribute<Tag[]>;
  declare owner?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof Customer {
    return Customer.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        nameKey: { type: DataTypes.STRING(200), allowNull: false },
        nameTail: { type: DataTypes.STRING(200), allowNull: false },
        email: { type: DataTypes.STRING(191), allowNull: true },
        phoneE164: { type: DataTypes.STRING(20), allowNull: false },
        phoneNational: { type: DataTypes.STRING(20), allowNull: false },
        phoneReversed: { type: DataTypes.STRING(20), allowNull: false },
        whatsappE164: { type: DataTypes.STRING(20), allowNull: true },
        consentAt: { type: DataTypes.DATE, allowNull: true },
        marketingOptedOutAt: { type: DataTypes.DATE, allowNull: true },
        marketingOptOutReason: { type: DataTypes.STRING(191), allowNull: true },
        birthDate: { type: DataTypes.DATEONLY, allowNull: true },
        anniversary: { type: DataTypes.DATEONLY, allowNull: true },
        birthdayMd: { type: DataTypes.SMALLINT, allowNull: true },
        anniversaryMd: { type: DataTypes.SMALLINT, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "customers", modelName: "Customer" },
    );
  }
}

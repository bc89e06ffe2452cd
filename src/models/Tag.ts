import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

/** A label of a business's customers; names are lower-case and unique per business. */
export class Tag extends Model<InferAttributes<Tag>, InferCreationAttributes<Tag>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare name: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Tag {
    return Tag.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(64), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "tags", modelName: "Tag" },
    );
  }
}

/** The join row; carries business_id so tag filters stay on a tenant-leading index. */
export class CustomerTag extends Model<
  InferAttributes<CustomerTag>,
  InferCreationAttributes<CustomerTag>
> {
  declare customerId: number;
  declare tagId: number;
  declare businessId: number;

  static initModel(sequelize: Sequelize): typeof CustomerTag {
    return CustomerTag.init(
      {
        customerId: { type: DataTypes.INTEGER, primaryKey: true },
        tagId: { type: DataTypes.INTEGER, primaryKey: true },
        businessId: { type: DataTypes.INTEGER, allowNull: false },
      },
      { sequelize, tableName: "customer_tags", modelName: "CustomerTag", timestamps: false },
    );
  }
}

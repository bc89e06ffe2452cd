import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Customers and their tags. Every index leads with business_id (tenant sharding stays possible) and
 * ends where keyset pagination needs it: InnoDB appends the primary key to secondary indexes, and
 * SQLite the rowid, so (business_id, name) already orders by (name, id).
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("businesses", "customer_count", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });

  await qi.createTable(
    "customers",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      owner_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      name: { type: DataTypes.STRING(200), allowNull: false },
      // Lower-cased name: SQLite's LIKE ignores case, so a plain index on name cannot serve it.
      name_key: { type: DataTypes.STRING(200), allowNull: false },
      // The name after its first word ("sharma" of "Priya Sharma"): surname search on an index.
      name_tail: { type: DataTypes.STRING(200), allowNull: false },
      email: columns.indexedString(true),
      phone_e164: { type: DataTypes.STRING(20), allowNull: false },
      // Digits of the national number, and all digits reversed: prefix and suffix phone search.
      phone_national: { type: DataTypes.STRING(20), allowNull: false },
      phone_reversed: { type: DataTypes.STRING(20), allowNull: false },
      whatsapp_e164: { type: DataTypes.STRING(20), allowNull: true },
      consent_at: { type: DataTypes.DATE, allowNull: true },
      birth_date: { type: DataTypes.DATEONLY, allowNull: true },
      anniversary: { type: DataTypes.DATEONLY, allowNull: true },
      // month * 100 + day: "birthday in the next N days" ignoring the year, on an index.
      birthday_md: { type: DataTypes.SMALLINT, allowNull: true },
      anniversary_md: { type: DataTypes.SMALLINT, allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  const index = (fields: string[], name: string, unique = false) =>
    qi.addIndex("customers", fields, { name, unique });
  await index(["business_id", "phone_e164"], "customers_business_phone_unique", true);
  await index(["business_id", "name_key"], "customers_business_name");
  await index(["business_id", "name_tail"], "customers_business_name_tail");
  await index(["business_id", "created_at"], "customers_business_created");
  await index(["business_id", "updated_at"], "customers_business_updated");
  await index(["business_id", "email"], "customers_business_email");
  await index(["business_id", "phone_national"], "customers_business_phone_national");
  await index(["business_id", "phone_reversed"], "customers_business_phone_reversed");
  await index(["business_id", "birthday_md"], "customers_business_birthday");
  await index(["business_id", "anniversary_md"], "customers_business_anniversary");
  await index(["business_id", "owner_id"], "customers_business_owner");

  await qi.createTable(
    "tags",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      name: { type: DataTypes.STRING(64), allowNull: false },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("tags", ["business_id", "name"], {
    unique: true,
    name: "tags_business_name_unique",
  });

  await qi.createTable(
    "customer_tags",
    {
      customer_id: { ...columns.reference("customers"), primaryKey: true },
      tag_id: { ...columns.reference("tags"), primaryKey: true },
      business_id: columns.reference("businesses"),
    },
    tableOptions(qi),
  );
  await qi.addIndex("customer_tags", ["business_id", "tag_id", "customer_id"], {
    name: "customer_tags_business_tag",
  });
  await qi.addIndex("customer_tags", ["tag_id"], { name: "customer_tags_tag" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("customer_tags");
  await qi.dropTable("tags");
  await qi.dropTable("customers");
  await qi.removeColumn("businesses", "customer_count");
};

import { DataTypes, type ModelAttributeColumnOptions, type QueryInterface } from "sequelize";

/** Building blocks that keep each migration a few readable lines on both dialects. */
export const columns = {
  id: (): ModelAttributeColumnOptions => ({
    type: DataTypes.INTEGER,
    primaryKey: true,
    autoIncrement: true,
    allowNull: false,
  }),
  timestamps: (): Record<"created_at" | "updated_at", ModelAttributeColumnOptions> => ({
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  }),
  /** An integer foreign key to `table`.id; deleting the parent cascades unless told otherwise. */
  reference: (
    table: string,
    options: { allowNull?: boolean; onDelete?: "CASCADE" | "SET NULL" | "RESTRICT" } = {},
  ): ModelAttributeColumnOptions => ({
    type: DataTypes.INTEGER,
    allowNull: options.allowNull ?? false,
    references: { model: table, key: "id" },
    onDelete: options.onDelete ?? "CASCADE",
  }),
  /** 191 characters: the longest utf8mb4 string an InnoDB index key takes on older row formats. */
  indexedString: (allowNull = false): ModelAttributeColumnOptions => ({
    type: DataTypes.STRING(191),
    allowNull,
  }),
};

/** utf8mb4 on MySQL so names in any script and emoji survive; SQLite ignores it. */
export function tableOptions(qi: QueryInterface): Record<string, string> {
  return qi.sequelize.getDialect() === "mysql"
    ? { charset: "utf8mb4", collate: "utf8mb4_unicode_ci", engine: "InnoDB" }
    : {};
}

/**
 * Drops the MySQL foreign keys on `table.column` (Sequelize names them itself, e.g. leads_ibfk_3).
 * Needed before removing an index the key relies on: MySQL drops its own index for a foreign key
 * when a later one can serve it, and then refuses to drop that later one.
 */
export async function dropMysqlForeignKeys(
  qi: QueryInterface,
  table: string,
  column: string,
): Promise<void> {
  if (qi.sequelize.getDialect() !== "mysql") return;
  const [rows] = await qi.sequelize.query(
    `SELECT CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?
        AND REFERENCED_TABLE_NAME IS NOT NULL`,
    { replacements: [table, column] },
  );
  for (const { name } of rows as { name: string }[])
    await qi.sequelize.query(`ALTER TABLE \`${table}\` DROP FOREIGN KEY \`${name}\``);
}

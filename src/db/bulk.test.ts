import { QueryTypes } from "sequelize";
import { useTestDatabase } from "../../test/support/database";
import { SqlLiterals, insertTuplesWithIds } from "./bulk";

const db = useTestDatabase();

describe("bulk SQL literals", () => {
  it("are what sequelize.escape gives, and survive a round trip through the database", async () => {
    const { sequelize } = db.current;
    const literals = new SqlLiterals(sequelize);
    const values = [
      "plain text",
      "O'Neil",
      'say "hi"',
      "back\\slash",
      "new\nline",
      "tab\there",
      "मराठी नाव",
      "emoji 🎉",
      "%_ and ?",
      ":name $1",
      "",
    ];
    for (const value of values) {
      expect(literals.value(value)).toBe(sequelize.escape(value));
      const [row] = await sequelize.query<{ v: string }>(`SELECT ${literals.value(value)} AS v`, {
        type: QueryTypes.SELECT,
      });
      expect(row?.v).toBe(value);
    }
    // NUL cannot travel inside SQLite's SQL text: there it is spelt char(0), on MySQL escaped.
    for (const value of ["\u0000nul", "a\u0000b\u0000", "it's\u0000"]) {
      const [row] = await sequelize.query<{ v: string }>(`SELECT ${literals.value(value)} AS v`, {
        type: QueryTypes.SELECT,
      });
      expect(row?.v).toBe(value);
    }
    const date = new Date(Date.UTC(2026, 7, 10, 5, 6, 7, 89));
    expect(literals.value(date)).toBe(sequelize.escape(date));
    expect(literals.value(null)).toBe("NULL");
    expect(literals.value(12)).toBe("12");
    expect(literals.row(["a", 1, null])).toBe("('a', 1, NULL)");
  });

  it("splits rows too long for one statement, and returns their ids in order", async () => {
    const { sequelize } = db.current;
    const table = `scratch_sql_${process.pid}_${Date.now()}`;
    const id =
      sequelize.getDialect() === "mysql"
        ? "INT AUTO_INCREMENT PRIMARY KEY"
        : "INTEGER PRIMARY KEY AUTOINCREMENT";
    await sequelize.query(`CREATE TABLE ${table} (id ${id}, v MEDIUMTEXT)`);
    try {
      const literals = new SqlLiterals(sequelize);
      const long = (i: number) => `${i}`.padEnd(1_500_000, "x");
      const tuples = Array.from({ length: 6 }, (_, i) => literals.row([long(i)]));
      const ids = await sequelize.transaction((transaction) =>
        insertTuplesWithIds(sequelize, table, ["v"], tuples, transaction),
      );
      const rows = await sequelize.query<{ id: number; v: string }>(
        `SELECT id, SUBSTR(v, 1, 1) AS v FROM ${table} ORDER BY id`,
        { type: QueryTypes.SELECT },
      );
      expect(rows.map((r) => r.v)).toEqual(["0", "1", "2", "3", "4", "5"]);
      expect(ids).toEqual(rows.map((r) => Number(r.id)));
    } finally {
      await sequelize.query(`DROP TABLE ${table}`);
    }
  });
});

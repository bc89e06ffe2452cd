import { QueryTypes } from "sequelize";
import { useTestDatabase } from "../../../test/support/database";
import { SqlLiterals } from "./sql";

const db = useTestDatabase();

describe("SQL literals of the importer", () => {
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
    // NUL cannot travel inside SQLite's SQL text; the importer drops it from cells (prepare.ts).
    expect(literals.value("\u0000nul")).toBe(sequelize.escape("\u0000nul"));
    const date = new Date(Date.UTC(2026, 7, 10, 5, 6, 7, 89));
    expect(literals.value(date)).toBe(sequelize.escape(date));
    expect(literals.value(null)).toBe("NULL");
    expect(literals.value(12)).toBe("12");
    expect(literals.row(["a", 1, null])).toBe("('a', 1, NULL)");
  });
});

import { QueryTypes } from "sequelize";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSequelize, tuneConnection } from "./connection";

describe("SQLite connections", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "crm-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("wait for the writer lock inside a transaction too, not only on the default connection", async () => {
    const sequelize = createSequelize({ dialect: "sqlite", storage: path.join(dir, "busy.db") });
    try {
      await tuneConnection(sequelize);
      const outside = await sequelize.query<{ timeout: number }>("PRAGMA busy_timeout", {
        type: QueryTypes.SELECT,
        plain: true,
      });
      // A transaction runs on a connection of its own: it must wait for a busy writer as well.
      const inside = await sequelize.transaction((transaction) =>
        sequelize.query<{ timeout: number }>("PRAGMA busy_timeout", {
          plain: true,
          transaction,
          type: QueryTypes.SELECT,
        }),
      );
      expect(outside?.timeout).toBe(5000);
      expect(inside?.timeout).toBe(5000);
    } finally {
      await sequelize.close();
    }
  });
});

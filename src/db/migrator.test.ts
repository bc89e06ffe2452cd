import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Sequelize } from "sequelize";
import { usingMysql } from "../../test/support/config";
import { withScratchMysqlDatabase } from "../../test/support/mysql";
import { createSequelize } from "./connection";
import { createMigrator } from "./migrator";

async function tables(sequelize: Sequelize): Promise<string[]> {
  const names = (await sequelize.getQueryInterface().showAllTables()) as Array<
    string | { tableName: string }
  >;
  return names.map((t) => (typeof t === "string" ? t : t.tableName)).sort();
}

async function upDownUp(sequelize: Sequelize): Promise<void> {
  const migrator = createMigrator(sequelize);
  const all = await migrator.pending();
  expect(all.length).toBeGreaterThan(0);

  await migrator.up();
  expect(await tables(sequelize)).toEqual(
    expect.arrayContaining(["users", "sessions", "schema_migrations"]),
  );
  expect(await migrator.pending()).toEqual([]);
  const users = await sequelize.getQueryInterface().describeTable("users");
  expect(Object.keys(users)).toEqual(
    expect.arrayContaining(["id", "email", "password_hash", "created_at"]),
  );

  await migrator.down({ to: 0 });
  expect(await tables(sequelize)).toEqual(["schema_migrations"]);
  expect((await migrator.pending()).map((m) => m.name)).toEqual(all.map((m) => m.name));

  await migrator.up();
  expect(await migrator.executed()).toHaveLength(all.length);
}

describe("migrations", () => {
  // Every migration down and up again on MariaDB: DDL is slow there, and the list keeps growing.
  jest.setTimeout(300_000);
  it(`go up, all the way down and up again (${usingMysql() ? "MySQL" : "SQLite"})`, async () => {
    if (usingMysql()) {
      await withScratchMysqlDatabase(process.env.DATABASE_URL as string, async (url) => {
        const sequelize = createSequelize({ dialect: "mysql", url });
        try {
          await upDownUp(sequelize);
        } finally {
          await sequelize.close();
        }
      });
      return;
    }
    const storage = path.join(mkdtempSync(path.join(os.tmpdir(), "crm-migrate-")), "db.sqlite");
    const sequelize = createSequelize({ dialect: "sqlite", storage });
    try {
      await upDownUp(sequelize);
    } finally {
      await sequelize.close();
    }
  });

  it("are named by timestamp, in order", async () => {
    const sequelize = createSequelize({ dialect: "sqlite", storage: ":memory:" });
    try {
      const names = (await createMigrator(sequelize).pending()).map((m) => m.name);
      for (const name of names) expect(name).toMatch(/^\d{14}-[a-z0-9-]+$/);
      expect([...names].sort()).toEqual(names);
    } finally {
      await sequelize.close();
    }
  });
});

import mysql, { type Connection, type RowDataPacket } from "mysql2/promise";
import type { Sequelize } from "sequelize";
import { createSequelize } from "../../src/db/connection";
import { createMigrator } from "../../src/db/migrator";
import { hashPassword } from "../../src/lib/password";
import { initModels, type Models } from "../../src/models";
import { say, int } from "../lib/format";
import { tagPool } from "./names";
import { seedCustomers, type SeedStats } from "./seed";

/**
 * The benchmark's own MySQL database: created when missing, migrated with the app's migrations
 * (so every index is the migration's), and seeded once. A later run finds the seed by its owner's
 * e-mail and the exact customer counts and reuses it; a seed that does not match (an interrupted
 * run, other counts) is thrown away with the whole database and made again.
 */

export const benchEmail = "bench-owner@bench.test";
export const benchPassword = "bench customers password 2026";
export const businessNames = { a: "Bench Traders A", b: "Bench Traders B" } as const;

export interface SeededData {
  userId: number;
  businessA: number;
  businessB: number;
  /** Present when this run seeded (absent when the seed was reused). */
  stats?: { a: SeedStats; b: SeedStats };
}

export interface BenchDatabase {
  url: string;
  name: string;
  sequelize: Sequelize;
  models: Models;
  /** A raw mysql2 connection (seeding, timing SQL, EXPLAIN). */
  connection: Connection;
  close(): Promise<void>;
}

function serverUrl(url: URL): string {
  const server = new URL(url.toString());
  server.pathname = "/";
  return server.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

async function onServer<T>(url: string, work: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ uri: serverUrl(new URL(url)) });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

export async function createDatabaseIfMissing(url: string): Promise<void> {
  const name = databaseName(url);
  await onServer(url, (c) =>
    c.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    ),
  );
}

async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await onServer(url, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
}

export async function openDatabase(url: string): Promise<BenchDatabase> {
  const sequelize = createSequelize({ dialect: "mysql", url });
  const models = initModels(sequelize);
  const connection = await mysql.createConnection({
    uri: url,
    charset: "utf8mb4",
    timezone: "Z",
    supportBigNumbers: true,
  });
  return {
    url,
    name: databaseName(url),
    sequelize,
    models,
    connection,
    close: async () => {
      await connection.end();
      await sequelize.close();
    },
  };
}

export async function migrate(db: BenchDatabase): Promise<number> {
  const applied = await createMigrator(db.sequelize).up();
  return applied.length;
}

async function scalar(
  connection: Connection,
  sql: string,
  values: unknown[] = [],
): Promise<number> {
  const [rows] = await connection.query<RowDataPacket[]>(sql, values);
  const first = rows[0];
  return first ? Number(Object.values(first)[0]) : 0;
}

/** The existing seed when it matches the wanted counts; null when there is none or it is off. */
async function existingSeed(
  db: BenchDatabase,
  counts: { a: number; b: number },
): Promise<SeededData | "mismatch" | null> {
  const user = await db.models.User.findOne({ where: { email: benchEmail } });
  if (!user) {
    const customers = await scalar(db.connection, "SELECT COUNT(*) FROM customers");
    return customers > 0 ? "mismatch" : null;
  }
  const businesses = await db.models.Business.findAll({ where: { ownerId: user.id } });
  const a = businesses.find((b) => b.name === businessNames.a);
  const b = businesses.find((b) => b.name === businessNames.b);
  if (!a || !b) return "mismatch";
  for (const [business, wanted] of [
    [a, counts.a],
    [b, counts.b],
  ] as const) {
    const stored = await scalar(
      db.connection,
      "SELECT COUNT(*) FROM customers WHERE business_id = ?",
      [business.id],
    );
    if (stored !== wanted || business.customerCount !== wanted) return "mismatch";
  }
  return { userId: user.id, businessA: a.id, businessB: b.id };
}

async function createTenant(db: BenchDatabase, ownerId: number, name: string) {
  const business = await db.models.Business.create({
    name,
    country: "IN",
    timeZone: "Asia/Kolkata",
    currency: "INR",
    ownerId,
  });
  await db.models.Membership.create({ businessId: business.id, userId: ownerId, role: "owner" });
  const tags = await db.models.Tag.bulkCreate(
    tagPool.map(([tag]) => ({ businessId: business.id, name: tag })),
  );
  const tagIds = new Map<string, number>();
  for (const tag of await db.models.Tag.findAll({ where: { businessId: business.id } }))
    tagIds.set(tag.name, tag.id);
  if (tagIds.size !== tags.length) throw new Error("Tags were not all created");
  return { business, tagIds };
}

/** Seeds both businesses unless a matching seed is there; recreates the database if it is off. */
export async function ensureSeeded(
  dbIn: BenchDatabase,
  counts: { a: number; b: number },
): Promise<{ db: BenchDatabase; seeded: SeededData }> {
  let db = dbIn;
  const found = await existingSeed(db, counts);
  if (found && found !== "mismatch") {
    say(
      `Seed found: business A #${found.businessA} (${int(counts.a)} customers), ` +
        `business B #${found.businessB} (${int(counts.b)}); not seeding again.`,
    );
    return { db, seeded: found };
  }
  if (found === "mismatch") {
    say(`The database ${db.name} holds another or an unfinished seed: recreating it.`);
    await db.close();
    await dropDatabase(db.url);
    await createDatabaseIfMissing(db.url);
    db = await openDatabase(db.url);
    await migrate(db);
  }

  say(
    `Seeding ${int(counts.a)} + ${int(counts.b)} customers (1,000-row INSERTs, 10 per transaction)…`,
  );
  const user = await db.models.User.create({
    name: "Bench Owner",
    email: benchEmail,
    passwordHash: await hashPassword(benchPassword),
    activatedAt: new Date(),
    planCode: "enterprise",
  });
  // A first, so it is also the default business of the owner's session.
  const a = await createTenant(db, user.id, businessNames.a);
  const b = await createTenant(db, user.id, businessNames.b);
  const firstId = (await scalar(db.connection, "SELECT COALESCE(MAX(id), 0) FROM customers")) + 1;

  const progress = (label: string, total: number) => {
    let shown = 0;
    return (done: number) => {
      if (done - shown >= 100_000 || done === total) {
        shown = done;
        process.stdout.write(`  ${label}: ${int(done)} / ${int(total)}\r`);
        if (done === total) process.stdout.write("\n");
      }
    };
  };
  const statsA = await seedCustomers(
    db.connection,
    { businessId: a.business.id, ownerId: user.id, count: counts.a, tagIds: a.tagIds, seed: 1 },
    firstId,
    progress("business A", counts.a),
  );
  const statsB = await seedCustomers(
    db.connection,
    { businessId: b.business.id, ownerId: user.id, count: counts.b, tagIds: b.tagIds, seed: 2 },
    firstId + counts.a,
    progress("business B", counts.b),
  );
  // The app keeps businesses.customer_count with every write; a raw seed sets it once.
  await db.connection.query(
    `UPDATE businesses SET customer_count =
       (SELECT COUNT(*) FROM customers WHERE customers.business_id = businesses.id)
     WHERE id IN (?, ?)`,
    [a.business.id, b.business.id],
  );
  // Fresh index statistics after a bulk load (InnoDB would get there on its own, later).
  await db.connection.query("ANALYZE TABLE customers, customer_tags, tags");
  return {
    db,
    seeded: {
      userId: user.id,
      businessA: a.business.id,
      businessB: b.business.id,
      stats: { a: statsA, b: statsB },
    },
  };
}

/**
 * Seeds crm_bench for every benchmark at once (customers first: a customers seed that does not
 * match recreates the database), so the benchmarks themselves can start on a quiet machine.
 *
 *   npx tsx bench/seed.ts
 */
import { createDatabaseIfMissing, ensureSeeded, migrate, openDatabase } from "./customers/database";
import { say } from "./lib/format";
import { ensureSeeded as ensureSalesSeeded } from "./sales/seed";

const url = process.env.BENCH_DATABASE_URL || "mysql://root@127.0.0.1:3306/crm_bench";

async function main(): Promise<void> {
  await createDatabaseIfMissing(url);
  const opened = await openDatabase(url);
  say(`Migrations applied: ${await migrate(opened)}.`);
  const { db } = await ensureSeeded(opened, { a: 1_000_000, b: 100_000 });
  await ensureSalesSeeded(db, { leads: 1_000_000, deals: 10_000 });
  await db.sequelize.close();
}

main().then(
  // The seeds' pools keep sockets open after their work is done.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench/seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

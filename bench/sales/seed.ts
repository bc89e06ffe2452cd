import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { ensureDefaultPipeline, pipelineStages } from "../../src/commands/deals/pipelines";
import { hashPassword } from "../../src/lib/password";
import { businessScope } from "../../src/tenancy/scope";
import type { BenchDatabase } from "../customers/database";
import { int, say } from "../lib/format";

/**
 * The sales benchmark's seed in crm_bench: its own owner and business with `leads` leads and
 * `deals` deals in the default pipeline, raw multi-row INSERTs. Found again by its counts; a seed
 * with other counts is deleted with its business and made again (other seeds are left alone).
 */
export const ownerEmail = "bench-sales@bench.test";
export const ownerPassword = "bench sales password 2026";
export const businessName = "Bench Sales";

/** A small deterministic generator: the same seed gives the same rows on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const firstNames = ["Aarav", "Priya", "Rahul", "Sneha", "Mohan", "Ananya", "Vikram", "Meera", "Arjun", "Kavya", "Rohan", "Isha", "Sanjay", "Divya", "Karan", "Pooja"]; // prettier-ignore
const lastNames = ["Sharma", "Menon", "Goyal", "Kulkarni", "Rao", "Iyer", "Patel", "Reddy", "Singh", "Nair", "Gupta", "Das", "Joshi", "Bose"]; // prettier-ignore
const companies = ["TechVerse", "FinEdge", "RetailWorks", "CreativeSutra", "BuildSmart", "Sutra Silks", "Apex Traders", "Nimbus Labs", null]; // prettier-ignore
const sources = ["Website", "Webinar", "Referral", "Email", "Event", "Facebook", "Walk-in", null]; // prettier-ignore
const campaigns = Array.from({ length: 20 }, (_, i) => `Bench campaign ${i + 1}`);
// Stage weights: most leads are new or contacted, a few convert.
const stages = [["new", 0.35], ["contacted", 0.3], ["qualified", 0.15], ["lost", 0.12], ["converted", 0.08]] as const; // prettier-ignore

function pick<T>(list: readonly T[], r: number): T {
  return list[Math.floor(r * list.length)] as T;
}

function weighted(r: number): string {
  let acc = 0;
  for (const [stage, weight] of stages) if ((acc += weight) >= r) return stage;
  return "new";
}

export async function scalar(
  db: BenchDatabase,
  sql: string,
  values: unknown[] = [],
): Promise<number> {
  const [rows] = await db.connection.query<RowDataPacket[]>(sql, values);
  return Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);
}

export interface Seeded {
  userId: number;
  businessId: number;
  pipelineId: number;
}

/** Raw multi-row INSERTs of `count` rows made by `row(i)`, 1,000 a statement, 10 a transaction. */
async function insertRows(
  db: BenchDatabase,
  table: string,
  columns: string[],
  count: number,
  row: (i: number) => unknown[],
): Promise<void> {
  const started = performance.now();
  for (let done = 0; done < count;) {
    await db.connection.beginTransaction();
    for (let s = 0; s < 10 && done < count; s++) {
      const size = Math.min(1000, count - done);
      const rows = Array.from({ length: size }, (_, k) => row(done + k));
      await db.connection.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ?`, [rows]);
      done += size;
    }
    await db.connection.commit();
    if (done % 100_000 === 0 || done === count)
      process.stdout.write(`  ${table}: ${int(done)} / ${int(count)}\r`);
  }
  const seconds = (performance.now() - started) / 1000;
  say(`\n  ${int(count)} ${table} in ${seconds.toFixed(1)} s (${int(count / seconds)} rows/s).`);
}

export async function ensureSeeded(
  db: BenchDatabase,
  settings: { leads: number; deals: number },
): Promise<Seeded> {
  const { models, sequelize } = db;
  let user = await models.User.findOne({ where: { email: ownerEmail } });
  const business = user
    ? await models.Business.findOne({ where: { ownerId: user.id, name: businessName } })
    : null;
  if (business) {
    const leads = await scalar(db, "SELECT COUNT(*) FROM leads WHERE business_id = ?", [
      business.id,
    ]);
    const deals = await scalar(db, "SELECT COUNT(*) FROM deals WHERE business_id = ?", [
      business.id,
    ]);
    const pipeline = await ensureDefaultPipeline({ models, sequelize }, business.id);
    if (leads === settings.leads && deals === settings.deals) {
      say(
        `Seed found: ${businessName} #${business.id} with ${int(leads)} leads and ${int(deals)} deals.`,
      );
      return { userId: user!.id, businessId: business.id, pipelineId: pipeline.id };
    }
    say(
      `${businessName} holds ${int(leads)} leads and ${int(deals)} deals: deleting it to seed again.`,
    );
    await db.connection.query("DELETE FROM deals WHERE business_id = ?", [business.id]);
    await db.connection.query("DELETE FROM leads WHERE business_id = ?", [business.id]);
    await business.destroy();
  }
  user ??= await models.User.create({
    name: "Bench Sales Owner",
    email: ownerEmail,
    passwordHash: await hashPassword(ownerPassword),
    activatedAt: new Date(),
    planCode: "enterprise",
  });
  const created = await models.Business.create({
    ownerId: user.id,
    name: businessName,
    country: "IN",
    timeZone: "Asia/Kolkata",
    currency: "INR",
  });
  await models.Membership.create({ businessId: created.id, userId: user.id, role: "owner" });
  const pipeline = await ensureDefaultPipeline({ models, sequelize }, created.id);
  const stageRows = await pipelineStages({ models }, businessScope(created.id), pipeline.id);

  say(`Seeding ${int(settings.leads)} leads and ${int(settings.deals)} deals into ${db.name}…`);
  const now = Date.now();
  const span = 730 * 86_400_000;
  const r = random(12);
  const owner = user.id;
  const businessId = created.id;
  // Ids grow with created_at, as the app writes them.
  await insertRows(
    db,
    "leads",
    ["business_id", "first_name", "last_name", "company", "email", "phone_e164", "source", "campaign_name", "stage", "score", "owner_id", "created_by_id", "created_at", "updated_at"], // prettier-ignore
    settings.leads,
    (i) => {
      const at = new Date(now - span + Math.floor((i / settings.leads) * span));
      return [
        businessId,
        pick(firstNames, r()),
        pick(lastNames, r()),
        pick(companies, r()),
        r() < 0.4 ? `lead${i}@bench-sales.test` : null,
        `+9170${String(i).padStart(8, "0")}`,
        pick(sources, r()),
        r() < 0.5 ? pick(campaigns, r()) : null,
        weighted(r()),
        Math.floor(r() * 101),
        owner,
        owner,
        at,
        at,
      ];
    },
  );
  await insertRows(
    db,
    "deals",
    ["business_id", "pipeline_id", "stage_id", "title", "amount_minor", "currency", "owner_id", "created_by_id", "last_activity_at", "closed_at", "created_at", "updated_at"], // prettier-ignore
    settings.deals,
    (i) => {
      const stage =
        stageRows[Math.min(stageRows.length - 1, Math.floor(r() ** 1.6 * stageRows.length))]!;
      const at = new Date(
        now - 180 * 86_400_000 + Math.floor((i / settings.deals) * 180 * 86_400_000),
      );
      return [
        businessId,
        pipeline.id,
        stage.id,
        `${pick(companies.filter(Boolean), r())} order ${i + 1}`,
        (1 + Math.floor(r() * 500)) * 100_000,
        "INR",
        owner,
        owner,
        at,
        stage.kind === "open" ? null : at,
        at,
        at,
      ];
    },
  );
  await db.connection.query("ANALYZE TABLE leads, deals");
  return { userId: user.id, businessId, pipelineId: pipeline.id };
}

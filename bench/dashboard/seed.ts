import type { RowDataPacket } from "mysql2/promise";
import { ensureDefaultPipeline, pipelineStages } from "../../src/commands/deals/pipelines";
import { businessScope } from "../../src/tenancy/scope";
import type { BenchDatabase } from "../customers/database";
import { int, say } from "../lib/format";

/**
 * What the dashboard reads beyond the customers seed, added to business A once (and topped up
 * when a size changes): `deals` deals across the default pipeline's stages (one "created" event
 * each, as the app writes them), tasks due around now, a WhatsApp campaign sent to `recipients`
 * customers with its completion in the activity feed, and scheduled social posts.
 */
export interface DashboardSeed {
  deals: number;
  tasks: number;
  recipients: number;
  posts: number;
  /** Accounts on the platform (other tenants' people). */
  users: number;
}

const day = 86_400_000;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function count(db: BenchDatabase, sql: string, values: unknown[]): Promise<number> {
  const [rows] = await db.connection.query<RowDataPacket[]>(sql, values);
  return Number(Object.values(rows[0] ?? { n: 0 })[0] ?? 0);
}

/** Raw multi-row INSERTs, 1,000 rows a statement, 10 statements a transaction. */
async function insert(
  db: BenchDatabase,
  table: string,
  columns: string[],
  total: number,
  row: (i: number) => unknown[],
): Promise<void> {
  for (let done = 0; done < total;) {
    await db.connection.beginTransaction();
    for (let s = 0; s < 10 && done < total; s++) {
      const size = Math.min(1000, total - done);
      const rows = Array.from({ length: size }, (_, k) => row(done + k));
      await db.connection.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ?`, [rows]);
      done += size;
    }
    await db.connection.commit();
  }
}

export async function ensureDashboardSeed(
  db: BenchDatabase,
  businessId: number,
  ownerId: number,
  want: DashboardSeed,
): Promise<void> {
  const { models, sequelize } = db;
  const now = Date.now();
  const r = random(15);
  const have = await count(db, "SELECT COUNT(*) FROM deals WHERE business_id = ?", [businessId]);
  if (have < want.deals) {
    const pipeline = await ensureDefaultPipeline({ models, sequelize }, businessId);
    const stages = await pipelineStages({ models }, businessScope(businessId), pipeline.id);
    const add = want.deals - have;
    say(`Adding ${int(add)} deals (and their events) to business A…`);
    const [maxRow] = await db.connection.query<RowDataPacket[]>(
      "SELECT COALESCE(MAX(id), 0) AS id FROM deals",
    );
    const firstId = Number(maxRow[0]?.id ?? 0) + 1;
    const span = 730 * day;
    const at = (i: number) => new Date(now - span + Math.floor((i / add) * span));
    await insert(
      db,
      "deals",
      ["id", "business_id", "pipeline_id", "stage_id", "title", "amount_minor", "currency", "owner_id", "created_by_id", "last_activity_at", "closed_at", "created_at", "updated_at"], // prettier-ignore
      add,
      (i) => {
        const stage = stages[Math.floor(r() * stages.length)]!;
        const when = at(i);
        return [firstId + i, businessId, pipeline.id, stage.id, `Bench deal ${have + i + 1}`,
          (1 + Math.floor(r() * 500)) * 100_000, "INR", ownerId, ownerId, when,
          stage.kind === "open" ? null : when, when, when]; // prettier-ignore
      },
    );
    await insert(
      db,
      "deal_events",
      ["business_id", "deal_id", "actor_id", "kind", "details", "created_at"],
      add,
      (i) => [businessId, firstId + i, ownerId, "created", null, at(i)],
    );
  }
  const tasks = await count(db, "SELECT COUNT(*) FROM tasks WHERE business_id = ?", [businessId]);
  if (tasks < want.tasks) {
    say(`Adding ${int(want.tasks - tasks)} tasks…`);
    await insert(
      db,
      "tasks",
      ["business_id", "assignee_id", "created_by_id", "title", "priority", "status", "due_at", "created_at", "updated_at"], // prettier-ignore
      want.tasks - tasks,
      (i) => [businessId, ownerId, ownerId, `Bench task ${i + 1}`, "medium",
        r() < 0.3 ? "done" : "open", new Date(now + (r() - 0.5) * 60 * day),
        new Date(now - 60 * day), new Date(now - 60 * day)], // prettier-ignore
    );
  }
  // A platform has many accounts: with a handful of users MariaDB joins them through a join
  // buffer, which makes the feed's "newest first" sort every event instead of reading an index.
  const users = await count(db, "SELECT COUNT(*) FROM users", []);
  if (users < want.users) {
    say(`Adding ${int(want.users - users)} other users…`);
    const at = new Date(now - 90 * day);
    await insert(
      db,
      "users",
      ["name", "email", "is_platform_admin", "plan_code", "created_at", "updated_at"],
      want.users - users,
      (i) => [`Bench user ${users + i}`, `bench-user-${users + i}@bench.test`, 0, "free", at, at],
    );
  }
  await ensureCampaign(db, businessId, ownerId, want.recipients);
  await ensurePosts(db, businessId, ownerId, want.posts);
  await db.connection.query("ANALYZE TABLE users, deals, deal_events, tasks, campaign_recipients");
}

const campaignName = "Bench Diwali Offer";

async function ensureCampaign(
  db: BenchDatabase,
  businessId: number,
  ownerId: number,
  recipients: number,
): Promise<void> {
  const key = campaignName.toLowerCase();
  const found = await count(
    db,
    "SELECT COUNT(*) FROM campaigns WHERE business_id = ? AND name_key = ?",
    [businessId, key],
  );
  if (found > 0 || recipients === 0) return;
  say(`Adding a sent campaign with ${int(recipients)} recipients…`);
  const started = new Date(Date.now() - 3 * day);
  const [result] = await db.connection.query<RowDataPacket[] & { insertId: number }>(
    `INSERT INTO campaigns (business_id, name, name_key, channel, currency, owner_id, created_by_id,
       status, priority, send_state, consent_rule, send_started_at, send_completed_at, created_at,
       updated_at)
     VALUES (?, ?, ?, 'whatsapp', 'INR', ?, ?, 'completed', 'high', 'completed',
       'all_not_opted_out', ?, ?, ?, ?)`,
    [businessId, campaignName, key, ownerId, ownerId, started, started, started, started],
  );
  const campaignId = (result as unknown as { insertId: number }).insertId;
  const [customers] = await db.connection.query<RowDataPacket[]>(
    "SELECT id, phone_e164 FROM customers WHERE business_id = ? ORDER BY id LIMIT ?",
    [businessId, recipients],
  );
  const statuses = ["delivered", "delivered", "read", "sent", "failed"];
  await insert(
    db,
    "campaign_recipients",
    ["business_id", "campaign_id", "customer_id", "channel", "address", "status", "provider_message_id", "sent_at", "created_at", "updated_at"], // prettier-ignore
    customers.length,
    (i) => {
      const status = statuses[i % statuses.length]!;
      const c = customers[i]!;
      return [businessId, campaignId, c.id, "whatsapp", c.phone_e164, status,
        status === "failed" ? null : `wamid.bench.${campaignId}.${i}`,
        status === "failed" ? null : started, started, started]; // prettier-ignore
    },
  );
  await db.connection.query(
    `INSERT INTO business_events (business_id, source, kind, subject_id, subject_name, details,
       created_at) VALUES (?, 'campaign', 'completed', ?, ?, ?, ?)`,
    [
      businessId,
      campaignId,
      campaignName,
      JSON.stringify({ delivered: customers.length }),
      started,
    ],
  );
}

async function ensurePosts(
  db: BenchDatabase,
  businessId: number,
  ownerId: number,
  posts: number,
): Promise<void> {
  const have = await count(db, "SELECT COUNT(*) FROM social_posts WHERE business_id = ?", [
    businessId,
  ]);
  if (have >= posts) return;
  say(`Adding ${int(posts - have)} social posts…`);
  const now = Date.now();
  await insert(
    db,
    "social_posts",
    ["business_id", "author_user_id", "text", "status", "scheduled_at", "created_at", "updated_at"],
    posts - have,
    (i) => {
      const out = i % 3 === 0;
      const at = new Date(now + (out ? -1 : 1) * (i + 1) * 3_600_000);
      return [businessId, ownerId, `Bench post ${i + 1}`, out ? "published" : "scheduled", at,
        new Date(now - day), new Date(now - day)]; // prettier-ignore
    },
  );
}

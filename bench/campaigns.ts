/**
 * WhatsApp campaign benchmark (issue 11, Performance): BENCH_RECIPIENTS (100,000) recipients at
 * the 1,000 msg/s tier against the Cloud API stand-in — target ≤ 110 s with zero throughput
 * errors — and BENCH_SLOW_RECIPIENTS (2,400) at the 80 msg/s tier, whose measured rate must be
 * within ±3 % of 80 with zero throughput errors. The whole campaign path runs: audience frozen
 * in one INSERT … SELECT, then batch jobs (claim a group, wait for the number's GCRA slot, send,
 * record outcomes and timeline entries), BENCH_WORKERS batches at once as workers would run
 * them. Baseline from the same run: bare client sends to the same stand-in with no database and
 * no limiter (the ceiling of this machine). The stand-in's own counts are printed beside ours.
 *
 *   npm run bench:campaigns   (= npx tsx bench/campaigns.ts)
 *
 * Settings (environment): BENCH_RECIPIENTS, BENCH_SLOW_RECIPIENTS, BENCH_WORKERS (3),
 * BENCH_DATABASE_URL (default: a temporary SQLite file; mysql://… for MariaDB), REDIS_URL (the limiter
 * in Redis as in production; in-process without).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runSendBatch, sendBatchSize } from "../src/commands/campaigns/sending/batch";
import { startSending } from "../src/commands/campaigns/sending/dispatch";
import { closeSendRateLimiters } from "../src/commands/campaigns/sending/limiter";
import { statusCounts } from "../src/commands/campaigns/sendStats";
import { createSequelize } from "../src/db/connection";
import { createMigrator } from "../src/db/migrator";
import { createWhatsAppClient } from "../src/integrations/whatsapp";
import { systemClock } from "../src/lib/clock";
import { initModels } from "../src/models";
import { loadTenantContext } from "../src/tenancy/loader";
import { buildSendWorld } from "../test/factoriesCampaignSends";
import { testDeps } from "../test/support/deps";
import { RemoteStandIn } from "./campaigns/remoteStandIn";
import { int, say, table } from "./lib/format";

const fast = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const slow = Number(process.env.BENCH_SLOW_RECIPIENTS ?? 2400);
const workers = Number(process.env.BENCH_WORKERS ?? 3);

async function database() {
  const url = process.env.BENCH_DATABASE_URL;
  const sequelize = url
    ? createSequelize({ dialect: "mysql", url })
    : // A file: each transaction gets its own connection (an in-memory database is one only).
      createSequelize({
        dialect: "sqlite",
        storage: path.join(mkdtempSync(path.join(tmpdir(), "bench-campaigns-")), "bench.sqlite"),
      });
  await createMigrator(sequelize).up();
  return { sequelize, models: initModels(sequelize) };
}

async function runCampaign(
  db: Awaited<ReturnType<typeof database>>,
  standIn: RemoteStandIn,
  count: number,
  tier: number,
) {
  const base = testDeps(db as Parameters<typeof testDeps>[0], { clock: systemClock });
  const deps = {
    ...base,
    config: {
      ...base.config,
      WHATSAPP_GRAPH_BASE_URL: standIn.url,
      REDIS_URL: process.env.REDIS_URL,
      CAMPAIGN_SEND_GROUP: Math.max(25, Math.ceil(tier / 10)),
    },
  };
  const w = await buildSendWorld(deps, standIn, { count, tier, messagingLimit: null });
  const ctx = await loadTenantContext(db, { businessId: w.business.id, userId: null });
  if (!ctx) throw new Error("no context");
  await standIn.settled();
  const started = performance.now();
  await startSending(deps, ctx, w.campaign);
  const frozenAt = performance.now();
  const ids = await db.models.CampaignRecipient.findAll({
    where: { businessId: w.business.id, campaignId: w.campaign.id },
    attributes: ["id"],
  });
  const chunks = [...new Set(ids.map((r) => r.id - (r.id % sendBatchSize)))];
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < chunks.length) {
        const fromId = chunks[next++]!;
        await runSendBatch(deps, ctx, { campaignId: w.campaign.id, fromId });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const counts = await statusCounts(deps, ctx, w.campaign.id);
  const mine = await standIn.sendsOf(w.channel.phoneNumberId!);
  const span = mine.count > 1 ? (mine.lastAt! - mine.firstAt!) / 1000 : 0;
  return {
    seconds,
    freezeSeconds: (frozenAt - started) / 1000,
    counts,
    accepted: mine.count,
    rate: span > 0 ? (mine.count - 1) / span : 0,
    peak: (await standIn.counts()).peakPerSecond[w.channel.phoneNumberId!] ?? 0,
  };
}

/** Bare sends to the stand-in: no database, no limiter, 100 in flight. */
async function baseline(standIn: RemoteStandIn, count: number) {
  standIn.addNumber({
    phoneNumberId: "999000",
    token: "base",
    tier: 1_000_000,
    wabaId: "waba-base",
  });
  standIn.addTemplate({ wabaId: "waba-base", name: "base", language: "en", body: "Hi {{1}}" });
  await standIn.settled();
  const client = createWhatsAppClient({ baseUrl: standIn.url });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < count) {
        const i = next++;
        await client.sendTemplate(
          "999000",
          "base",
          `+9188${String(i).padStart(8, "0")}`,
          "base",
          "en",
          ["A"],
        );
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function main() {
  say(
    `WhatsApp campaigns → Cloud API stand-in (${workers} batch workers, limiter: ${process.env.REDIS_URL ? "Redis" : "in-process"})`,
  );
  const standIn = await RemoteStandIn.start(path.resolve(__dirname, ".."));
  const db = await database();
  const ceiling = await baseline(standIn, Math.min(5000, Math.max(500, fast)));
  const a = await runCampaign(db, standIn, fast, 1000);
  const throughputA = (await standIn.counts()).throughputErrors;
  const b = await runCampaign(db, standIn, slow, 80);
  const throughputB = (await standIn.counts()).throughputErrors - throughputA;
  const row = (name: string, r: typeof a, errors: number, target: string) => [
    name,
    `${r.seconds.toFixed(1)} s (freeze ${r.freezeSeconds.toFixed(1)} s)`,
    int(r.counts.sent),
    int(r.counts.failed + r.counts.unknown),
    int(r.accepted),
    int(errors),
    r.rate.toFixed(1),
    int(r.peak),
    target,
  ];
  say(
    table(
      [
        "run",
        "time",
        "ours: sent",
        "ours: failed+unknown",
        "stand-in: accepted",
        "stand-in: 130429",
        "msg/s",
        "peak 1 s",
        "target",
      ],
      [
        row(`${int(fast)} @ 1000/s`, a, throughputA, "≤ 110 s, 0 errors"),
        row(`${int(slow)} @ 80/s`, b, throughputB, "80 ± 3 % (77.6–82.4), 0 errors"),
        ["baseline: bare sends", "", "", "", "", "", ceiling.toFixed(0), "", "machine ceiling"],
      ],
      "lrrrrrrrl",
    ),
  );
  say(`stand-in duplicates: ${(await standIn.counts()).duplicateRecipients}`);
  await closeSendRateLimiters();
  await standIn.stop();
  await db.sequelize.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

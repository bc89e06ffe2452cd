/**
 * Campaign e-mail benchmark (issue 11, Performance: "e-mail to a local SMTP sink ≥ 500
 * messages/s"). Sends BENCH_MESSAGES messages through the campaign e-mail sender exactly as a
 * campaign does (the business's e-mail setup read once, then per message: template filled with
 * escaped values, links rewritten to signed click URLs, open pixel, List-Unsubscribe headers,
 * Message-ID, pooled SMTP) to the SMTP sink stand-in running in a child process, with
 * BENCH_CONCURRENCY sends in flight. Baseline from the same run: bare nodemailer sendMail of a
 * fixed small message over the same kind of pool. The sink's own count is printed beside ours.
 *
 *   npm run bench:campaign-email   (= npx tsx bench/campaignEmail.ts)
 *
 * Settings (environment): BENCH_MESSAGES (3000), BENCH_CONCURRENCY (50), BENCH_SMTP_CONNECTIONS
 * (5). The database is an in-memory SQLite (only the setup is read from it).
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { isUnavailable, type PreparedSender } from "../src/commands/campaigns/sending/channel";
import { createSequelize } from "../src/db/connection";
import { createMigrator } from "../src/db/migrator";
import { customerColumns } from "../src/commands/customers/writes";
import { runSendBatch, sendBatchSize } from "../src/commands/campaigns/sending/batch";
import { startSending } from "../src/commands/campaigns/sending/dispatch";
import { closeCampaignTransports } from "../src/integrations/mail/emailSetup";
import { emailSender } from "../src/integrations/mail/campaignSender";
import { createCampaignTransports } from "../src/integrations/mail/campaignTransport";
import { initModels, type Models } from "../src/models";
import { loadTenantContext } from "../src/tenancy/loader";
import { buildBusiness, buildCustomer, buildUser } from "../test/factories";
import { buildCampaign } from "../test/factoriesCampaigns";
import { buildEmailChannel, buildEmailRecipient, buildEmailTemplate } from "../test/factoriesEmail";
import { testDeps } from "../test/support/deps";
import { int, say, table } from "./lib/format";

const messages = Number(process.env.BENCH_MESSAGES ?? 3000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const connections = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 5);
const target = 500;

interface SinkProcess {
  url: string;
  count(): Promise<number>;
  stop(): Promise<void>;
}

async function startSink(): Promise<SinkProcess> {
  const child: ChildProcess = fork(path.join(__dirname, "campaignEmail", "sink.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`sink exited (${code})`)));
  });
  return {
    url,
    count: () =>
      new Promise<number>((resolve) => {
        child.once("message", (m) => resolve((m as { accepted: number }).accepted));
        child.send("count");
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send("stop");
      }),
  };
}

/** Runs `total` tasks with `width` in flight; resolves with the seconds taken and failures. */
async function pool(total: number, width: number, task: (i: number) => Promise<boolean>) {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) {
        const i = next++;
        if (!(await task(i))) failures += 1;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, failures };
}

async function world(smtpUrl: string) {
  const sequelize = createSequelize({ dialect: "sqlite", storage: ":memory:" });
  await createMigrator(sequelize).up();
  const models: Models = initModels(sequelize);
  const base = testDeps({ sequelize, models } as Parameters<typeof testDeps>[0]);
  const deps = { ...base, config: { ...base.config, SMTP_URL: smtpUrl } };
  const owner = await buildUser(models, { name: "Bench Owner", planCode: "enterprise" });
  const { business } = await buildBusiness(models, { owner, name: "Bench Sarees" });
  await buildEmailChannel(models, business, { fromAddress: "offers@bench.example.com" });
  const template = await buildEmailTemplate(models, business, { name: "Bench offer" });
  const campaign = await buildCampaign(models, business, { name: "Bench campaign" });
  const customer = await buildCustomer(models, business, {
    name: "Asha <Verma> & Co",
    email: "asha@bench.example.com",
  });
  const recipient = await buildEmailRecipient(models, business, customer, { campaign });
  const ctx = await loadTenantContext(
    { sequelize, models },
    { businessId: business.id, userId: null },
  );
  if (!ctx) throw new Error("no context");
  return { deps, ctx, template, campaign, customer, recipient, sequelize };
}

/**
 * The whole campaign path on the same SQLite: BENCH_MESSAGES customers frozen into recipients,
 * then the dispatcher's batch jobs (claim a group, send each, record the outcomes and timeline)
 * one after another (SQLite takes one transaction at a time). Sent through the process's pool.
 */
async function campaignPipeline(w: Awaited<ReturnType<typeof world>>) {
  const { models } = w.deps;
  const business = w.ctx.business;
  const rows = Array.from({ length: messages }, (_, i) => ({
    businessId: business.id,
    ownerId: null,
    ...customerColumns({
      name: `Customer ${i} <Bench>`,
      email: `c${i}@bench.example.com`,
      phoneE164: `+9198${String(i).padStart(8, "0")}`,
      whatsappE164: "",
      tags: [],
      consentAt: new Date("2030-01-01T00:00:00Z"),
      birthDate: null,
      anniversary: null,
      ownerId: null,
    }),
  }));
  for (let i = 0; i < rows.length; i += 500)
    await models.Customer.bulkCreate(rows.slice(i, i + 500));
  const campaign = await buildCampaign(
    models,
    await models.Business.findByPk(business.id).then((b) => b!),
    {
      name: "Bench pipeline",
      channel: "email",
      templateId: w.template.id,
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    },
  );
  const frozen = await startSending(w.deps, w.ctx, campaign);
  const ids = await models.CampaignRecipient.findAll({
    where: { businessId: business.id, campaignId: campaign.id },
    attributes: ["id"],
  });
  const chunks = [...new Set(ids.map((r) => r.id - (r.id % sendBatchSize)))];
  const started = performance.now();
  await pool(chunks.length, 1, async (i) => {
    await runSendBatch(w.deps, w.ctx, { campaignId: campaign.id, fromId: chunks[i]! });
    return true;
  });
  const seconds = (performance.now() - started) / 1000;
  const sent = await models.CampaignRecipient.count({
    where: { businessId: business.id, campaignId: campaign.id, status: "sent" },
  });
  return { frozen, sent, seconds };
}

async function main() {
  say(
    `Campaign e-mail → SMTP sink: ${int(messages)} messages, ${concurrency} in flight, ${connections} SMTP connections`,
  );
  const sink = await startSink();
  const w = await world(sink.url);
  const transports = createCampaignTransports({ maxConnections: connections });
  const prepared = await emailSender({ transports })(w.deps, w.ctx, w.campaign);
  if (isUnavailable(prepared)) throw new Error(prepared.unavailable);
  const sender: PreparedSender = prepared;

  // Warm up both paths (connections opened, code compiled).
  const baseline = nodemailer.createTransport({
    url: sink.url,
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
  await pool(
    200,
    concurrency,
    async () => (await sender.send(w.recipient, w.campaign, w.template, w.customer)).ok,
  );
  await pool(200, concurrency, async () => {
    await baseline.sendMail({
      from: "a@bench.example.com",
      to: "b@bench.example.com",
      subject: "x",
      text: "x",
    });
    return true;
  });

  const before = await sink.count();
  const bare = await pool(messages, concurrency, async (i) => {
    try {
      await baseline.sendMail({
        from: "offers@bench.example.com",
        to: `r${i}@bench.example.com`,
        subject: "Baseline",
        text: "Hello",
        html: "<p>Hello</p>",
      });
      return true;
    } catch {
      return false;
    }
  });
  const afterBare = await sink.count();
  const ours = await pool(messages, concurrency, async (i) => {
    const row = { ...w.recipient.get({ plain: true }), address: `r${i}@bench.example.com` };
    const outcome = await sender.send(
      w.deps.models.CampaignRecipient.build(row),
      w.campaign,
      w.template,
      w.customer,
    );
    return outcome.ok;
  });
  const afterOurs = await sink.count();
  const full = await campaignPipeline(w);
  const afterFull = await sink.count();

  const rate = (n: number, s: number) => int(n / s);
  say();
  say(
    table(
      ["path", "sent", "failed", "seconds", "msg/s", "sink accepted"],
      [
        [
          "baseline: bare nodemailer pool",
          int(messages - bare.failures),
          int(bare.failures),
          bare.seconds.toFixed(2),
          rate(messages - bare.failures, bare.seconds),
          int(afterBare - before),
        ],
        [
          "campaign e-mail sender",
          int(messages - ours.failures),
          int(ours.failures),
          ours.seconds.toFixed(2),
          rate(messages - ours.failures, ours.seconds),
          int(afterOurs - afterBare),
        ],
        [
          "whole campaign (batches, SQLite)",
          int(full.sent),
          int((full.frozen ?? 0) - full.sent),
          full.seconds.toFixed(2),
          rate(full.sent, full.seconds),
          int(afterFull - afterOurs),
        ],
      ],
      "l",
    ),
  );
  const achieved = (messages - ours.failures) / ours.seconds;
  say();
  say(
    `target ≥ ${target} msg/s: ${achieved >= target ? "met" : "NOT met"} (${int(achieved)} msg/s)`,
  );
  baseline.close();
  await transports.close();
  await closeCampaignTransports(w.deps.config);
  await w.sequelize.close();
  await sink.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

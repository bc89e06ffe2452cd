import { buildBusiness, buildTask, buildUser } from "../../test/factories";
import { buildOwedSubmission } from "../../test/factoriesForms";
import { buildLead } from "../../test/factoriesLeads";
import { buildRecipient, buildSendCampaign } from "../../test/factoriesCampaignSends";
import { buildMessageTemplate } from "../../test/factoriesMessaging";
import { buildSocialAccount } from "../../test/factoriesSocial";
import { buildSocialPost } from "../../test/factoriesSocialPosts";
import { buildTicket } from "../../test/factoriesTickets";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { testConfig } from "../../test/support/config";
import { useTestDatabase } from "../../test/support/database";
import { testDeps } from "../../test/support/deps";
import { importFile, sampleCsv, tempDir, uploadFile } from "../../test/support/imports";
import { inspectImport } from "../commands/imports/inspect";
import { startImport } from "../commands/imports/start";
import { issueInvoice } from "../commands/invoices/issue";
import { parseSettings } from "../commands/imports/fields";
import type { Deps } from "../deps";
import { jobSpec, type JobName, type JobPayloads, type TenantPayload } from "../jobs/catalog";
import { InProcessQueue } from "../jobs/inProcessQueue";
import type { EnqueueOptions, JobInfo, JobSpec } from "../jobs/queue";
import { FakeClock } from "../lib/clock";
import { createLogger } from "../logger";
import type { Business, User } from "../models";
import { jobDefinitions } from "../../workers/processors";
import { loadTenantContext } from "./loader";
import { businessScope } from "./scope";
import { tenantSql } from "./sql";
import { tenantTables } from "./tables";

/**
 * Tenant isolation for background work, for every job handler — including ones added later: a
 * job of business B (its member, or B's own scheduled work) handed business A's record ids must
 * change nothing of A: no row of any tenant table, no business row, no mail or job for A. Each job
 * also runs once with A's own ids, to show those ids would have done something. A new tenant job
 * makes this test fail until it gets a builder of A's records below (the type checker asks too).
 */
const db = useTestDatabase();

type TenantJobName = {
  [N in JobName]: JobPayloads[N] extends TenantPayload ? N : never;
}[JobName];

interface World {
  deps: Deps;
  a: Business;
  ownerA: User;
}

type RecordIds<N extends TenantJobName> = Omit<JobPayloads[N], keyof TenantPayload>;

/** For each tenant job: A's records it works on, set up so that A's own job would act on them. */
const recordsOfA: { [N in TenantJobName]: (w: World) => Promise<RecordIds<N>> } = {
  "inspect-import": async ({ deps, a, ownerA }) => {
    const uploaded = await uploadFile(deps, a, ownerA, sampleCsv);
    return { importId: uploaded.id };
  },
  "run-import": async ({ deps, a, ownerA }) => {
    const uploaded = await uploadFile(deps, a, ownerA, sampleCsv);
    const ctx = await contextOf(deps, a.id, ownerA.id);
    const ready = await inspectImport(deps, ctx, uploaded.id);
    const { mapping, update } = parseSettings(ready!.settings);
    const queued = await startImport(deps, ctx, ready!, { mapping, mode: "skip", update });
    return { importId: queued.id };
  },
  "revert-import": async ({ deps, a, ownerA }) => {
    const done = await importFile(deps, a, ownerA, sampleCsv);
    await done.update({ status: "reverting", revertedById: ownerA.id });
    return { importId: done.id };
  },
  "task-due-reminder": async ({ deps, a }) => {
    const dueAt = new Date(deps.clock.nowMs() + 3_600_000);
    const task = await buildTask(deps.models, a, { dueAt: new Date(dueAt) });
    return { taskId: task.id, dueAt: dueAt.getTime() };
  },
  // A's endpoint is on a loopback address, refused by the SSRF check: A's own job records a
  // failed attempt, without any network.
  "deliver-webhook": async ({ deps, a }) => {
    const endpoint = await buildWebhookEndpoint(deps.models, a, { url: "http://127.0.0.1:9/" });
    const { delivery } = await buildWebhookDelivery(deps, a, endpoint);
    return { deliveryId: delivery.id, attempts: 0, epoch: 0 };
  },
  // A rule of A that A's lead matches but its score does not show yet: A's own recompute acts.
  "recompute-lead-scores": async ({ deps, a }) => {
    await buildLead(deps.models, a, { source: "Website", score: 0 });
    await deps.models.LeadScoringRule.create({
      businessId: a.id,
      subject: "source",
      field: null,
      operator: "equals",
      value: "Website",
      points: 30,
      position: 0,
    });
    return {};
  },
  // An invoice of A whose PDF is not rendered yet: A's own job stores it and marks it ready.
  "render-invoice": async ({ deps, a }) => {
    const invoice = await issueInvoice(deps, {
      businessId: a.id,
      paymentRef: `pay_isolation_${a.id}`,
      kind: "invoice",
      lines: [{ description: "Gold plan, one month", amountMinor: 99_900 }],
    });
    return { invoiceId: invoice.id };
  },
  // A submission of A whose follow-up is owed: A's own job claims it and completes its lead.
  "follow-up-form-submission": async ({ deps, a }) => {
    const submission = await buildOwedSubmission(deps.models, a);
    return { submissionId: submission.id };
  },
  // A post of A due now on an account that needs reconnecting: A's own job fails it at the
  // pre-flight check (no network), with the reason on the target.
  "publish-social-target": async ({ deps, a }) => {
    const account = await buildSocialAccount(deps.models, a, deps.config.secretsKey, "linkedin", {
      overrides: { status: "needs_reconnect" },
    });
    const now = deps.clock.now();
    const post = await buildSocialPost(deps.models, a, [account], { scheduledAt: now, now });
    const [target] = await deps.models.SocialPostTarget.findAll({ where: { postId: post.id } });
    return { targetId: target!.id, attempts: 0, dueAt: now.getTime() };
  },
  // A's X account past its expiry, with no X app configured to renew it: A's own refresh marks it
  // needs_reconnect (no network).
  "refresh-social-token": async ({ deps, a }) => {
    const expired = new Date(deps.clock.nowMs() - 60_000);
    const account = await buildSocialAccount(deps.models, a, deps.config.secretsKey, "x", {
      overrides: { tokenExpiresAt: expired },
    });
    return { accountId: account.id, expiresAt: expired.getTime() };
  },
  "ticket-sla-reminder": async ({ deps, a }) => {
    const dueAt = new Date(Math.floor(deps.clock.nowMs() / 1000) * 1000 - 60_000);
    const ticket = await buildTicket(deps.models, a, { firstResponseDueAt: dueAt });
    return { ticketId: ticket.id, target: "first_response", dueAt: dueAt.getTime() };
  },
  // A's campaign sending with nobody left to send to: A's own dispatcher completes it.
  "campaign-dispatch": async ({ deps, a }) => {
    const campaign = await buildSendCampaign(deps.models, a, { sendState: "sending" });
    return { campaignId: campaign.id };
  },
  // A's sending campaign with a queued recipient and no WhatsApp channel: A's own batch pauses it,
  // saying why (no network).
  "campaign-send-batch": async ({ deps, a }) => {
    const template = await buildMessageTemplate(deps.models, a);
    const campaign = await buildSendCampaign(deps.models, a, {
      sendState: "sending",
      templateId: template.id,
    });
    const row = await buildRecipient(deps.models, a, campaign);
    return { campaignId: campaign.id, fromId: row.id - (row.id % 500) };
  },
};

/** Jobs that act for no business, and why. */
const notTenantJobs: Partial<Record<JobName, string>> = {
  "send-mail": "an address and a template: whoever queued it chose the recipient",
  "send-password-reset": "an address typed on the public reset form: mails its own account only",
  "send-activation-again": "an address typed on the public resend form: mails its own account only",
  "purge-expired-sessions": "platform housekeeping over every account",
  "scan-reminders": "platform scan over every business; each business's run is scoped by its id",
  "billing-cycle": "platform sweep over accounts' subscriptions; each account settled on its own",
  "send-notification-mails":
    "platform sweep of pending notification e-mails; each mail is one member's in one business",
};

async function contextOf(deps: Deps, businessId: number, userId: number) {
  const ctx = await loadTenantContext(deps, { businessId, userId });
  if (!ctx) throw new Error("not a member");
  return ctx;
}

/** Every queued job, so a test can see what a handler asked for. */
class RecordingQueue extends InProcessQueue {
  readonly enqueued: Array<{ name: string; payload: unknown }> = [];

  override async enqueue(spec: JobSpec, payload: unknown, options?: EnqueueOptions) {
    this.enqueued.push({ name: spec.name, payload });
    return super.enqueue(spec, payload, options);
  }
}

/** All of A: its rows in every tenant table and its business row, as plain sorted JSON. */
async function snapshotOf(business: Business): Promise<Record<string, string[]>> {
  const sql = tenantSql(db.current, businessScope(business.id));
  const snapshot: Record<string, string[]> = {};
  for (const table of [...Object.keys(tenantTables), "businesses"]) {
    const marker = sql.scoped("x");
    const rows = await sql.select<Record<string, unknown>>`
      SELECT * FROM ${sql.raw(table)} x WHERE ${marker}`;
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

function jobInfo(name: JobName): JobInfo {
  return {
    id: `isolation-${name}`,
    queue: jobSpec(name).queue,
    name,
    attempt: 1,
    signal: new AbortController().signal,
  };
}

async function world(): Promise<World & { b: Business; ownerB: User; queue: RecordingQueue }> {
  const clock = new FakeClock("2030-03-01T10:00:00Z");
  const queue = new RecordingQueue(createLogger("silent"), clock);
  const deps: Deps = {
    ...testDeps(db.current, { queue, clock }),
    config: testConfig({ UPLOADS_DIR: tempDir("crm-job-isolation-") }),
  };
  const ownerA = await buildUser(deps.models, { planCode: "gold" });
  const { business: a } = await buildBusiness(deps.models, { name: "Tenant A", owner: ownerA });
  const ownerB = await buildUser(deps.models, { planCode: "gold" });
  const { business: b } = await buildBusiness(deps.models, { name: "Tenant B", owner: ownerB });
  return { deps, a, ownerA, b, ownerB, queue };
}

describe("tenant isolation of jobs", () => {
  it("knows every job: a tenant job has A's records below, any other says why not", () => {
    const names = jobDefinitions.map((d) => d.name);
    const unknown = names.filter((name) => !(name in recordsOfA) && !(name in notTenantJobs));
    expect({ jobsWithoutRecordsOfA: unknown }).toEqual({ jobsWithoutRecordsOfA: [] });
    expect(Object.keys(recordsOfA).length).toBeGreaterThanOrEqual(4);
  });

  const tenantJobs = Object.keys(recordsOfA) as TenantJobName[];
  it.each(tenantJobs)(
    "%s of business B with A's record ids changes nothing of A",
    async (name) => {
      const definition = jobDefinitions.find((d) => d.name === name);
      expect(definition).toBeDefined();
      const { deps, a, ownerA, b, ownerB, queue } = await world();
      const ids = await (recordsOfA[name] as (w: World) => Promise<object>)({ deps, a, ownerA });
      const emailsOfA = [ownerA.email];
      const touchesA = () =>
        queue.enqueued.filter(({ payload }) => {
          const p = payload as { businessId?: number; to?: string };
          return p.businessId === a.id || (p.to !== undefined && emailsOfA.includes(p.to));
        });
      const before = await snapshotOf(a);
      const queuedBefore = touchesA().length;

      // B's member, then B's own scheduled work (no member).
      for (const userId of [ownerB.id, null]) {
        const payload = { ...ids, businessId: b.id, userId };
        await definition!.perform(deps, payload as never, jobInfo(name)).catch(() => undefined);
        expect(await snapshotOf(a)).toEqual(before);
        expect(touchesA().slice(queuedBefore)).toEqual([]);
      }

      // The same ids in A's own job do act on them: the check above could fail.
      const own = { ...ids, businessId: a.id, userId: ownerA.id };
      await definition!.perform(deps, own as never, jobInfo(name)).catch(() => undefined);
      expect(await snapshotOf(a)).not.toEqual(before);
      await queue.close();
    },
    60_000,
  );
});

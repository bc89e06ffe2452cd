import { Op } from "sequelize";
import { postTitle } from "../src/commands/activityEvents";
import type { SeedContext, Seeder } from "../src/db/migrator";
import type { Business, Customer, SocialNetwork } from "../src/models";
import { periodsAt } from "../src/commands/dashboard/periods";
import { ensureDefaultPipeline, pipelineStages } from "../src/commands/deals/pipelines";
import { dueRange } from "../src/commands/tasks/list";
import { addDays, localDate, monthDay } from "../src/lib/dates";
import { campaignNameKey } from "../src/models/Campaign";
import type { RecipientStatus } from "../src/models/CampaignRecipient";
import { businessScope, tenantWhere } from "../src/tenancy/scope";
import { demoEmail } from "./20261122000100-demo-account";
import { demoBusinessName } from "./20261122001500-demo-business";
import { countsChanged } from "../src/commands/dashboard/versions";

/**
 * Demo Traders' marketing (issue 15: every dashboard card filled from demo data): a WhatsApp
 * campaign sent three days ago to the demo customers, with its delivery results and its entry in
 * the activity feed, and social posts — three scheduled over the coming days, one published. The
 * social accounts carry no real token: they are shown as needing a reconnect, so a post that
 * falls due fails its pre-flight (nothing is sent to any network) and says how to connect.
 * Skipped once the business has the campaign. seedDemoDashboard adds what the other cards need.
 */
export const demoSendName = "Diwali Offer";
const day = 86_400_000;

const demoAccounts: Array<{ network: SocialNetwork; name: string }> = [
  { network: "linkedin", name: "Demo Traders (LinkedIn)" },
  { network: "facebook", name: "Demo Traders Page" },
  { network: "instagram", name: "@demotraders" },
];

const demoPosts = [
  {
    inDays: 2,
    networks: [0, 1],
    text: "Our winter collection is in store from Friday. Come early!",
  },
  { inDays: 5, networks: [1, 2], text: "Weekend offer: 10% off every shawl, in store and online." },
  { inDays: 9, networks: [0], text: "We are hiring a store manager in Pune. Write to us." },
];

/** Most reached and delivered, some read, a few failed: what a real send looks like. */
function statusOf(index: number): RecipientStatus {
  if (index % 20 === 19) return "failed";
  if (index % 10 === 3) return "sent";
  if (index % 3 === 0) return "read";
  return "delivered";
}

export async function seedDemoMarketing(
  context: SeedContext,
  business: Business,
  now: Date,
): Promise<void> {
  const { models, sequelize } = context;
  const scope = businessScope(business.id);
  const key = campaignNameKey(demoSendName);
  if (
    await models.Campaign.findOne({ where: tenantWhere(scope, models.Campaign, { nameKey: key }) })
  )
    return;
  const customers: Customer[] = await models.Customer.findAll({
    where: tenantWhere(scope, models.Customer, { phoneE164: { [Op.ne]: "" } }),
    order: [["id", "ASC"]],
    limit: 60,
  });
  const started = new Date(now.getTime() - 3 * day);
  const finished = new Date(started.getTime() + 40 * 60_000);
  const at = (minutes: number) => new Date(started.getTime() + minutes * 60_000);

  await sequelize.transaction(async (transaction) => {
    const campaign = await models.Campaign.create(
      {
        businessId: business.id,
        name: demoSendName,
        nameKey: key,
        objective: "Festive offer to existing customers",
        channel: "whatsapp",
        audience: null,
        productLine: null,
        startsOn: null,
        endsOn: null,
        currency: "INR",
        budgetMinor: null,
        expectedSpendMinor: null,
        actualSpendMinor: null,
        plannedLeads: null,
        reportedLeads: null,
        ownerId: business.ownerId,
        createdById: business.ownerId,
        status: "completed",
        priority: "high",
        compliance: null,
        externalId: null,
        utmCampaign: "diwali-offer",
        sendState: "completed",
        sendAudience: JSON.stringify({ kind: "all" }),
        consentRule: "all_not_opted_out",
        sendStartedAt: started,
        sendCompletedAt: finished,
        createdAt: new Date(started.getTime() - day),
        updatedAt: finished,
      },
      { transaction },
    );
    const rows = customers.map((customer, i) => {
      const status = statusOf(i);
      const reached = status !== "failed";
      return {
        businessId: business.id,
        campaignId: campaign.id,
        customerId: customer.id,
        channel: "whatsapp" as const,
        address: customer.phoneE164,
        status,
        providerMessageId: reached ? `wamid.demo.${campaign.id}.${i}` : null,
        errorCode: reached ? null : "131026",
        errorReason: reached ? null : "Message undeliverable: the number is not on WhatsApp",
        nextAttemptAt: null,
        sentAt: reached ? at(i % 30) : null,
        deliveredAt: status === "delivered" || status === "read" ? at((i % 30) + 1) : null,
        readAt: status === "read" ? at((i % 30) + 20) : null,
        failedAt: reached ? null : at(i % 30),
        openedAt: null,
        clickedAt: null,
        createdAt: started,
        updatedAt: finished,
      };
    });
    if (rows.length) await models.CampaignRecipient.bulkCreate(rows, { transaction });
    const count = (test: (s: RecipientStatus) => boolean) =>
      rows.filter((r) => test(r.status)).length;
    await models.BusinessEvent.create(
      {
        businessId: business.id,
        source: "campaign",
        kind: "completed",
        actorId: null,
        subjectId: campaign.id,
        subjectName: demoSendName,
        details: JSON.stringify({
          total: rows.length,
          sent: count((s) => s !== "failed"),
          delivered: count((s) => s === "delivered" || s === "read"),
          read: count((s) => s === "read"),
          failed: count((s) => s === "failed"),
        }),
        createdAt: finished,
      },
      { transaction },
    );

    const accounts = [];
    for (const [i, account] of demoAccounts.entries())
      accounts.push(
        await models.SocialAccount.create(
          {
            businessId: business.id,
            network: account.network,
            externalId: `demo-${account.network}-${business.id}`,
            displayName: account.name,
            // No token: a demo account cannot publish (see above).
            accessTokenSealed: "",
            refreshTokenSealed: null,
            tokenExpiresAt: null,
            scopes: "",
            status: "needs_reconnect",
            lastError: "Demo account: connect your own to publish.",
            connectedByUserId: business.ownerId,
            createdAt: new Date(now.getTime() - (10 - i) * day),
            updatedAt: now,
          },
          { transaction },
        ),
      );
    const published = new Date(now.getTime() - 2 * day);
    const posts = [
      ...demoPosts.map((p) => ({ ...p, at: new Date(now.getTime() + p.inDays * day), out: false })),
      {
        at: published,
        networks: [0, 1],
        text: "Happy Diwali from all of us at Demo Traders!",
        out: true,
      },
    ];
    for (const p of posts) {
      const post = await models.SocialPost.create(
        {
          businessId: business.id,
          authorUserId: business.ownerId,
          text: p.text,
          status: p.out ? "published" : "scheduled",
          scheduledAt: p.at,
          publishedAt: p.out ? p.at : null,
          templateId: p.out ? "diwali" : null,
          mediaId: null,
          createdAt: new Date(now.getTime() - 3 * day),
          updatedAt: p.out ? p.at : now,
        },
        { transaction },
      );
      for (const index of p.networks) {
        const account = accounts[index]!;
        await models.SocialPostTarget.create(
          {
            businessId: business.id,
            postId: post.id,
            socialAccountId: account.id,
            variantText: null,
            status: p.out ? "published" : "pending",
            nextAttemptAt: p.out ? null : p.at,
            publishedAt: p.out ? p.at : null,
            createdAt: post.createdAt,
            updatedAt: post.updatedAt,
          },
          { transaction },
        );
        if (p.out)
          await models.BusinessEvent.create(
            {
              businessId: business.id,
              source: "social",
              kind: "published",
              actorId: null,
              subjectId: post.id,
              subjectName: postTitle(p.text),
              details: JSON.stringify({
                network: networkName[account.network],
                account: account.displayName,
              }),
              createdAt: p.at,
            },
            { transaction },
          );
      }
    }
  });
}

const dueTitles = ["Confirm the Diwali hamper order", "Send the quotation to Priya"];

/**
 * The rest of the dashboard's cards from demo data: a task due today and one overdue, and two
 * customers' birthdays in the coming days (counted from the seed's day). Skipped once done.
 */
export async function seedDemoDashboard(
  context: SeedContext,
  business: Business,
  now: Date,
): Promise<void> {
  const { models } = context;
  const scope = businessScope(business.id);
  const done = await models.Task.count({
    where: tenantWhere(scope, models.Task, { title: dueTitles }),
  });
  if (done > 0) return;
  const customers = await models.Customer.findAll({
    where: tenantWhere(scope, models.Customer),
    order: [["id", "ASC"]],
    limit: 2,
  });
  if (customers.length === 0) return;
  const today = localDate(now, business.timeZone);
  for (const [i, customer] of customers.entries()) {
    const birthDate = `${1985 + i}${addDays(today, 2 + i * 2).slice(4)}`;
    await customer.update({ birthDate, birthdayMd: monthDay(birthDate) });
  }
  const dueAt = [
    // Before the local day ends (a seed late at night gets an earlier time the same day).
    new Date(
      Math.min(
        now.getTime() + 60 * 60_000,
        dueRange("today", now, business.timeZone).to.getTime() - 60_000,
      ),
    ),
    new Date(now.getTime() - 26 * 60 * 60_000),
  ];
  for (const [i, title] of dueTitles.entries())
    await models.Task.create({
      businessId: business.id,
      customerId: customers[i % customers.length]!.id,
      assigneeId: business.ownerId,
      createdById: business.ownerId,
      title,
      description: null,
      priority: i === 0 ? "high" : "medium",
      status: "open",
      dueAt: dueAt[i]!,
    });
  // A deal won this month (the sales demo's won deals may fall in the last one).
  const pipeline = await ensureDefaultPipeline(
    { models, sequelize: context.sequelize },
    business.id,
  );
  const won = (await pipelineStages({ models }, scope, pipeline.id)).find(
    (st) => st.kind === "won",
  );
  if (!won) return;
  const monthStart = periodsAt(now, business.timeZone).monthStart.getTime();
  const closedAt = new Date(Math.max(monthStart + 60_000, now.getTime() - 60 * 60_000));
  const deal = await models.Deal.create({
    businessId: business.id,
    pipelineId: pipeline.id,
    stageId: won.id,
    title: wonDealTitle,
    customerId: customers[0]!.id,
    amountMinor: 1_20_000_00,
    currency: "INR",
    expectedCloseOn: null,
    ownerId: business.ownerId,
    createdById: business.ownerId,
    reason: null,
    lastActivityAt: closedAt,
    closedAt,
    leadId: null,
    createdAt: new Date(now.getTime() - 12 * 86_400_000),
    updatedAt: closedAt,
  });
  await models.DealEvent.create({
    businessId: business.id,
    dealId: deal.id,
    actorId: business.ownerId,
    kind: "stage_changed",
    details: JSON.stringify({ from: "Negotiation", to: won.name }),
    createdAt: closedAt,
  });
}

const wonDealTitle = "Wedding season order";

const networkName: Record<SocialNetwork, string> = {
  linkedin: "LinkedIn",
  facebook: "Facebook",
  instagram: "Instagram",
  x: "X",
};

async function demoBusiness(context: SeedContext): Promise<Business | null> {
  const owner = await context.models.User.findOne({ where: { email: demoEmail } });
  return owner
    ? context.models.Business.findOne({ where: { ownerId: owner.id, name: demoBusinessName } })
    : null;
}

export const up: Seeder = async ({ context }) => {
  const business = await demoBusiness(context);
  if (!business) return;
  await seedDemoMarketing(context, business, new Date());
  await seedDemoDashboard(context, business, new Date());
  // A server running meanwhile counts its dashboard again (dashboard/versions.ts).
  await countsChanged(context, businessScope(business.id), "deals");
};

export const down: Seeder = async ({ context }) => {
  const { models } = context;
  const business = await demoBusiness(context);
  if (!business) return;
  const scope = businessScope(business.id);
  const campaign = await models.Campaign.findOne({
    where: tenantWhere(scope, models.Campaign, { nameKey: campaignNameKey(demoSendName) }),
  });
  await models.BusinessEvent.destroy({ where: tenantWhere(scope, models.BusinessEvent) });
  if (campaign) {
    await models.CampaignRecipient.destroy({
      where: tenantWhere(scope, models.CampaignRecipient, { campaignId: campaign.id }),
    });
    await campaign.destroy();
  }
  const accounts = await models.SocialAccount.findAll({
    where: tenantWhere(scope, models.SocialAccount, { externalId: { [Op.like]: "demo-%" } }),
  });
  const targets = await models.SocialPostTarget.findAll({
    where: tenantWhere(scope, models.SocialPostTarget, {
      socialAccountId: accounts.map((a) => a.id),
    }),
  });
  await models.SocialPostTarget.destroy({
    where: tenantWhere(scope, models.SocialPostTarget, { id: targets.map((t) => t.id) }),
  });
  await models.SocialPost.destroy({
    where: tenantWhere(scope, models.SocialPost, {
      id: [...new Set(targets.map((t) => t.postId))],
    }),
  });
  await models.SocialAccount.destroy({
    where: tenantWhere(scope, models.SocialAccount, { id: accounts.map((a) => a.id) }),
  });
  await models.Task.destroy({ where: tenantWhere(scope, models.Task, { title: dueTitles }) });
  const deals = await models.Deal.findAll({
    where: tenantWhere(scope, models.Deal, { title: wonDealTitle }),
  });
  await models.DealEvent.destroy({
    where: tenantWhere(scope, models.DealEvent, { dealId: deals.map((d) => d.id) }),
  });
  await models.Deal.destroy({
    where: tenantWhere(scope, models.Deal, { id: deals.map((d) => d.id) }),
  });
  await countsChanged(context, scope, "deals");
};

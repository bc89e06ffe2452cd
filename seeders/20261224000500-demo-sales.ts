import type { CreationAttributes } from "sequelize";
import { ensureDefaultPipeline, pipelineStages } from "../src/commands/deals/pipelines";
import type { SeedContext, Seeder } from "../src/db/migrator";
import type { Business, Campaign, Lead, User } from "../src/models";
import { campaignNameKey } from "../src/models/Campaign";
import { businessScope, ownBusiness, tenantWhere } from "../src/tenancy/scope";
import { demoEmail } from "./20261122000100-demo-account";
import { demoBusinessName } from "./20261122001500-demo-business";
import { countsChanged } from "../src/commands/dashboard/versions";

/**
 * Demo Traders' sales data as the product's design describes it (issue 12, item 10): three planned
 * campaigns, five leads, a few deals across the stages and monthly targets — so the campaigns,
 * leads, deals and analytics pages show something real. Budgets are INR in paise. The festive
 * promo ran "last year": its dates follow the seed time. Skipped once the business has campaigns.
 */
export const demoSalesEmail = "asha.sales@demo.example.com";

const day = 86_400_000;
const rupees = (amount: number) => amount * 100;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export interface DemoCampaign {
  name: string;
  objective: string;
  channel: Campaign["channel"];
  status: Campaign["status"];
  priority: Campaign["priority"];
  budgetMinor: number;
  startsOn: string;
  endsOn: string;
  reportedLeads: number | null;
  utmCampaign: string;
  compliance: Array<{ label: string; done: boolean }>;
}

/** The three campaigns; `now` places "last year". */
export function demoCampaigns(now: Date): DemoCampaign[] {
  const lastYear = now.getUTCFullYear() - 1;
  return [
    {
      name: "Launch Sprint 2025",
      objective: "Promote new product features",
      channel: "paid_ads",
      status: "active",
      priority: "high",
      budgetMinor: rupees(85_000),
      startsOn: "2025-04-01",
      endsOn: "2025-04-30",
      reportedLeads: null,
      utmCampaign: "launch-sprint-2025",
      compliance: [
        { label: "Consent wording approved", done: true },
        { label: "Ad copy brand review", done: false },
      ],
    },
    {
      name: "Webinar Series Q2",
      objective: "Weekly webinars",
      channel: "webinar",
      status: "planned",
      priority: "medium",
      budgetMinor: rupees(45_000),
      startsOn: "2025-05-10",
      endsOn: "2025-05-24",
      reportedLeads: null,
      utmCampaign: "webinar-series-q2",
      compliance: [{ label: "Speaker consent forms", done: false }],
    },
    {
      name: "Festive Cashback Promo",
      objective: "Festive season cashback for repeat buyers",
      channel: "whatsapp",
      status: "completed",
      priority: "high",
      budgetMinor: rupees(1_10_000),
      startsOn: `${lastYear}-12-01`,
      endsOn: `${lastYear}-12-20`,
      // "420 leads generated": counted by the channel, not leads in the CRM.
      reportedLeads: 420,
      utmCampaign: "festive-cashback-promo",
      compliance: [
        { label: "DLT template registered", done: true },
        { label: "Opt-out keyword in every message", done: true },
      ],
    },
  ];
}

export interface DemoLead {
  firstName: string;
  lastName: string;
  email: string;
  phoneE164: string;
  source: string;
  campaignName: string;
  stage: Lead["stage"];
  score: number;
  company: string;
}

// prettier-ignore
export const demoLeads: DemoLead[] = [
  { firstName: "Aarav", lastName: "Sharma", email: "aarav@techverse.in", phoneE164: "+919876543120", source: "Website", campaignName: "Launch Sprint 2025", stage: "contacted", score: 45, company: "TechVerse" },
  { firstName: "Priya", lastName: "Menon", email: "priya.menon@finedge.co", phoneE164: "+919822077551", source: "Webinar", campaignName: "Webinar Series Q2", stage: "new", score: 20, company: "FinEdge" },
  { firstName: "Rahul", lastName: "Goyal", email: "rahul@retailworks.in", phoneE164: "+919811022345", source: "Referral", campaignName: "Festive Cashback Promo", stage: "qualified", score: 72, company: "RetailWorks" },
  { firstName: "Sneha", lastName: "Kulkarni", email: "sneha@creativesutra.com", phoneE164: "+919898011334", source: "Email", campaignName: "Launch Sprint 2025", stage: "lost", score: 30, company: "CreativeSutra" },
  { firstName: "Mohan", lastName: "Rao", email: "mohan.rao@buildsmart.in", phoneE164: "+919703044221", source: "Event", campaignName: "Webinar Series Q2", stage: "contacted", score: 55, company: "BuildSmart" },
];

export const demoDealTitles = [
  "RetailWorks POS rollout",
  "BuildSmart site kits",
  "Annual saree order",
  "Festive hamper bulk order",
  "Kurta range for a boutique",
];

/** A sales member for the team results (no password: nobody signs in as them). */
async function demoSeller(context: SeedContext, business: Business, now: Date): Promise<User> {
  const { models } = context;
  const user =
    (await models.User.findOne({ where: { email: demoSalesEmail } })) ??
    (await models.User.create({
      name: "Asha Rao",
      email: demoSalesEmail,
      passwordHash: null,
      activatedAt: now,
    }));
  const member = await models.Membership.findOne({
    where: tenantWhere(businessScope(business.id), models.Membership, { userId: user.id }),
  });
  if (!member) {
    await models.Membership.create({ businessId: business.id, userId: user.id, role: "sales" });
    // Pages remember the members per setup version (src/commands/setup.ts).
    await models.Business.increment("setupVersion", {
      by: 1,
      where: ownBusiness(businessScope(business.id)),
    });
  }
  return user;
}

/** Campaigns, leads, deals and targets of the demo business; nothing when it has campaigns. */
export async function seedDemoSales(
  context: SeedContext,
  owner: User,
  business: Business,
  now: Date,
): Promise<void> {
  const { models, sequelize } = context;
  const scope = businessScope(business.id);
  if ((await models.Campaign.count({ where: tenantWhere(scope, models.Campaign) })) > 0) return;
  const seller = await demoSeller(context, business, now);
  const pipeline = await ensureDefaultPipeline({ models, sequelize }, business.id);
  const stages = await pipelineStages({ models }, scope, pipeline.id);
  const stage = (name: string) => stages.find((s) => s.name === name) ?? stages[0]!;
  const customer = await models.Customer.findOne({
    where: tenantWhere(scope, models.Customer),
    order: [["id", "ASC"]],
  });
  const ago = (days: number) => new Date(now.getTime() - days * day);
  const month = isoDay(now).slice(0, 7);
  const lastMonth = isoDay(
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)),
  ).slice(0, 7);

  await sequelize.transaction(async (transaction) => {
    for (const plan of demoCampaigns(now)) {
      const { compliance, ...fields } = plan;
      const campaign = await models.Campaign.create(
        {
          businessId: business.id,
          ...fields,
          nameKey: campaignNameKey(plan.name),
          audience: null,
          productLine: null,
          currency: "INR",
          expectedSpendMinor: null,
          actualSpendMinor: null,
          plannedLeads: null,
          ownerId: owner.id,
          createdById: owner.id,
          compliance: JSON.stringify(compliance),
          externalId: null,
        },
        { transaction },
      );
      await models.CampaignMember.bulkCreate(
        [owner.id, seller.id].map((userId) => ({
          businessId: business.id,
          campaignId: campaign.id,
          userId,
          createdAt: now,
        })),
        { transaction },
      );
    }

    const leads = new Map<string, Lead>();
    for (const [index, lead] of demoLeads.entries()) {
      // Rahul came in during last year's festive promo; the others over the last two weeks.
      const arrived =
        lead.campaignName === "Festive Cashback Promo"
          ? new Date(`${now.getUTCFullYear() - 1}-12-12T10:00:00Z`)
          : ago(2 + index * 3);
      const ownerId =
        lead.firstName === "Aarav" || lead.firstName === "Rahul" ? seller.id : owner.id;
      const created = await models.Lead.create(
        {
          businessId: business.id,
          ...lead,
          ownerId,
          createdById: owner.id,
          statusReason: lead.stage === "lost" ? "Chose an in-house design team" : null,
          utmCampaign:
            demoCampaigns(now).find((c) => c.name === lead.campaignName)?.utmCampaign ?? null,
          createdAt: arrived,
          updatedAt: arrived,
        } as CreationAttributes<Lead>,
        { transaction },
      );
      await models.LeadEvent.create(
        {
          businessId: business.id,
          leadId: created.id,
          actorId: owner.id,
          kind: "created",
          details: JSON.stringify({ stage: lead.stage }),
          createdAt: arrived,
        },
        { transaction },
      );
      leads.set(lead.firstName, created);
    }

    // prettier-ignore
    const deals = [
      { title: "RetailWorks POS rollout", stage: "In progress", amount: 2_40_000, ownerId: seller.id, leadId: leads.get("Rahul")!.id, closed: null },
      { title: "BuildSmart site kits", stage: "New", amount: 95_000, ownerId: owner.id, leadId: leads.get("Mohan")!.id, closed: null },
      { title: "Annual saree order", stage: "Won", amount: 1_80_000, ownerId: seller.id, leadId: null, closed: ago(10) },
      { title: "Festive hamper bulk order", stage: "Won", amount: 65_000, ownerId: owner.id, leadId: null, closed: ago(40) },
      { title: "Kurta range for a boutique", stage: "Lost", amount: 50_000, ownerId: owner.id, leadId: null, closed: ago(20) },
    ];
    for (const deal of deals) {
      const created = await models.Deal.create(
        {
          businessId: business.id,
          pipelineId: pipeline.id,
          stageId: stage(deal.stage).id,
          title: deal.title,
          customerId: deal.leadId === null ? (customer?.id ?? null) : null,
          amountMinor: rupees(deal.amount),
          currency: "INR",
          expectedCloseOn: deal.closed ? null : isoDay(new Date(now.getTime() + 21 * day)),
          ownerId: deal.ownerId,
          createdById: owner.id,
          reason: deal.stage === "Lost" ? "Chose a cheaper supplier" : null,
          lastActivityAt: deal.closed ?? ago(1),
          closedAt: deal.closed,
          leadId: deal.leadId,
          createdAt: ago(45),
          updatedAt: deal.closed ?? ago(1),
        },
        { transaction },
      );
      await models.DealEvent.create(
        {
          businessId: business.id,
          dealId: created.id,
          actorId: owner.id,
          kind: "created",
          details: JSON.stringify({ stage: deal.stage }),
          createdAt: ago(45),
        },
        { transaction },
      );
    }

    await models.SalesTarget.bulkCreate(
      [
        { userId: seller.id, month: lastMonth, amountMinor: rupees(1_50_000) },
        { userId: owner.id, month, amountMinor: rupees(2_00_000) },
      ].map((target) => ({ businessId: business.id, currency: "INR", ...target })),
      { transaction },
    );
  });
}

export const up: Seeder = async ({ context }) => {
  const { models } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  const business = owner
    ? await models.Business.findOne({ where: { ownerId: owner.id, name: demoBusinessName } })
    : null;
  if (!owner || !business) return;
  await seedDemoSales(context, owner, business, new Date());
  // A server running meanwhile counts its dashboard again (dashboard/versions.ts).
  await countsChanged(context, businessScope(business.id), "deals");
};

export const down: Seeder = async ({ context }) => {
  const { models } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  const business = owner
    ? await models.Business.findOne({ where: { ownerId: owner.id, name: demoBusinessName } })
    : null;
  if (!business) return;
  const scope = businessScope(business.id);
  await models.SalesTarget.destroy({ where: tenantWhere(scope, models.SalesTarget) });
  await models.CampaignMember.destroy({ where: tenantWhere(scope, models.CampaignMember) });
  await models.Campaign.destroy({ where: tenantWhere(scope, models.Campaign) });
  const leads = await models.Lead.findAll({
    where: tenantWhere(scope, models.Lead, { email: demoLeads.map((l) => l.email) }),
  });
  const leadIds = leads.map((l) => l.id);
  const deals = await models.Deal.findAll({
    where: tenantWhere(scope, models.Deal, { title: demoDealTitles }),
  });
  await models.DealEvent.destroy({
    where: tenantWhere(scope, models.DealEvent, { dealId: deals.map((d) => d.id) }),
  });
  await models.Deal.destroy({
    where: tenantWhere(scope, models.Deal, { id: deals.map((d) => d.id) }),
  });
  await models.LeadEvent.destroy({
    where: tenantWhere(scope, models.LeadEvent, { leadId: leadIds }),
  });
  await models.Lead.destroy({ where: tenantWhere(scope, models.Lead, { id: leadIds }) });
  await countsChanged(context, scope, "deals");
};

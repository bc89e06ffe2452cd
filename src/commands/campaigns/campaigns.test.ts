import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { FakeClock } from "../../lib/clock";
import { fieldErrors } from "../../lib/forms";
import type { Business, User } from "../../models";
import { apiCampaignPatchSchema, apiNewCampaignSchema, campaignFormSchema } from "./input";
import { listCampaigns, loadCampaign } from "./list";
import { campaignResults } from "./results";
import { createCampaign, deleteCampaign, updateCampaign } from "./writes";

const db = useTestDatabase();

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the command to fail");
}

describe("campaign commands", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    deps = testDeps(db.current, { clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Campaign Traders" }));
  });

  it("creates a campaign from the form: money typed in rupees is stored in paise, checklist rows kept", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const { user: mate } = await buildMember(db.current.models, business, "marketing");
    const parsed = campaignFormSchema("INR").parse({
      name: "Launch Sprint 2025",
      objective: "Promote new product features",
      channel: "paid_ads",
      startsOn: "2025-04-01",
      endsOn: "2025-04-30",
      currency: "",
      budget: "85,000",
      expectedSpend: "80000.50",
      actualSpend: "",
      plannedLeads: "300",
      ownerId: String(owner.id),
      teamIds: [String(mate.id)],
      status: "active",
      priority: "high",
      complianceLabel: ["Consent text approved", "", "DLT template registered"],
      complianceDone: "0",
      externalId: "",
      utmCampaign: "launch-sprint",
    });
    const campaign = await createCampaign(deps, ctx, parsed);
    const loaded = await loadCampaign(deps, ctx, campaign.id);
    expect(loaded).toMatchObject({
      name: "Launch Sprint 2025",
      nameKey: "launch sprint 2025",
      channel: "paid_ads",
      currency: "INR",
      budgetMinor: 8_500_000,
      expectedSpendMinor: 8_000_050,
      actualSpendMinor: null,
      plannedLeads: 300,
      status: "active",
      priority: "high",
      externalId: null,
      utmCampaign: "launch-sprint",
      ownerId: owner.id,
      createdById: owner.id,
    });
    expect(JSON.parse(loaded.compliance ?? "[]")).toEqual([
      { label: "Consent text approved", done: true },
      { label: "DLT template registered", done: false },
    ]);
    expect(loaded.members?.map((m) => m.userId)).toEqual([mate.id]);
  });

  it("reports every bad field at once and changes nothing", () => {
    const result = campaignFormSchema("INR").safeParse({
      name: " ",
      channel: "fax",
      budget: "85,000.555",
      startsOn: "2025-04-30",
      endsOn: "2025-04-01",
      plannedLeads: "-3",
      status: "done",
    });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toMatchObject({
      name: "Enter the campaign's name (up to 150 characters).",
      channel: expect.stringContaining("Choose a channel"),
      plannedLeads: expect.stringContaining("planned leads"),
      status: expect.stringContaining("Choose a status"),
    });
    const api = apiNewCampaignSchema.safeParse({ name: "X", budgetMinor: 1.5, colour: "red" });
    expect(api.success).toBe(false);
    expect(apiCampaignPatchSchema.safeParse({}).success).toBe(false);
  });

  it("refuses a second campaign with the same name in any case (409) and a non-member owner", async () => {
    const ctx = await contextFor(db.current, business, owner);
    await createCampaign(deps, ctx, { name: "Webinar Series Q2" });
    const twin = await failure(createCampaign(deps, ctx, { name: "  webinar series q2 " }));
    expect(twin).toMatchObject({ id: "conflict", details: { field: "name" } });
    const stranger = await buildUser(db.current.models);
    const bad = await failure(
      createCampaign(deps, ctx, { name: "Other", ownerId: stranger.id, teamIds: [stranger.id] }),
    );
    expect(bad.id).toBe("validation_failed");
    expect(bad.details).toMatchObject({
      fields: { ownerId: "Choose a team member.", teamIds: expect.any(String) },
    });
    const count = await db.current.models.Campaign.count({
      where: { businessId: business.id, nameKey: "other" },
    });
    expect(count).toBe(0);
  });

  it("updates fields and the team, refuses an end before the start, deletes with the team", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const campaign = await createCampaign(deps, ctx, {
      name: "Festive Cashback Promo",
      startsOn: "2025-12-01",
    });
    const bad = await failure(updateCampaign(deps, ctx, campaign, { endsOn: "2025-11-20" }));
    expect(bad.details).toMatchObject({ fields: { endsOn: expect.any(String) } });
    const { user: mate } = await buildMember(db.current.models, business, "sales");
    await updateCampaign(
      deps,
      ctx,
      campaign,
      apiCampaignPatchSchema.parse({
        status: "completed",
        actualSpendMinor: 10_000_000,
        teamIds: [mate.id],
      }),
    );
    const loaded = await loadCampaign(deps, ctx, campaign.id);
    expect(loaded).toMatchObject({ status: "completed", actualSpendMinor: 10_000_000 });
    expect(loaded.members?.map((m) => m.userId)).toEqual([mate.id]);
    await deleteCampaign(deps, ctx, loaded);
    expect(
      await db.current.models.CampaignMember.count({ where: { campaignId: campaign.id } }),
    ).toBe(0);
    await expect(loadCampaign(deps, ctx, campaign.id)).rejects.toMatchObject({ id: "not_found" });
  });

  it("lists newest first with filters and keyset pages", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, other, otherOwner);
    const a = await buildCampaign(db.current.models, other, { name: "Alpha", status: "active" });
    const b = await buildCampaign(db.current.models, other, { name: "Beta", channel: "event" });
    const c = await buildCampaign(db.current.models, other, { name: "Alps", status: "active" });
    const ids = async (filter: Parameters<typeof listCampaigns>[2], beforeId?: number) =>
      (await listCampaigns(deps, ctx, filter, { limit: 10, beforeId })).map((x) => x.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ status: "active" })).toEqual([c.id, a.id]);
    expect(await ids({ channel: "event" })).toEqual([b.id]);
    expect(await ids({ q: "AL" })).toEqual([c.id, a.id]);
    expect(await ids({}, c.id)).toEqual([b.id, a.id]);
  });
});

describe("campaign results (attribution and ROI)", () => {
  it("counts leads by name or utm_campaign once, won deals and their revenue, ROI and cost per lead", async () => {
    const { models } = db.current;
    const { business, owner } = await buildBusiness(models, { name: "ROI Traders" });
    const deps = testDeps(db.current);
    const { stages } = await buildPipeline(models, business);
    const won = stages.find((s) => s.kind === "won")!;
    const open = stages.find((s) => s.kind === "open")!;
    const launch = await buildCampaign(models, business, {
      name: "Launch Sprint",
      utmCampaign: "launch-2025",
      actualSpendMinor: 5_000_000,
    });
    const quiet = await buildCampaign(models, business, { name: "Quiet", actualSpendMinor: null });
    // By name (any case), by utm (any case), by both (counted once); one of another campaign.
    const byName = await buildLead(models, business, { campaignName: "launch SPRINT" });
    const byUtm = await buildLead(models, business, { utmCampaign: "LAUNCH-2025" });
    const both = await buildLead(models, business, {
      campaignName: "Launch Sprint",
      utmCampaign: "launch-2025",
    });
    await buildLead(models, business, { campaignName: "Launch Sprint 2" });
    // Won deals: 1,00,000.00 and 50,000.00 INR; one USD won (counted apart); one open.
    await buildDeal(models, business, {
      leadId: byName.id,
      stageId: won.id,
      amountMinor: 10_000_000,
    });
    await buildDeal(models, business, { leadId: both.id, stageId: won.id, amountMinor: 5_000_000 });
    await buildDeal(models, business, {
      leadId: byUtm.id,
      stageId: won.id,
      amountMinor: 99_00,
      currency: "USD",
    });
    await buildDeal(models, business, {
      leadId: byUtm.id,
      stageId: open.id,
      amountMinor: 7_000_000,
    });
    // Another business's lead with the same campaign name is never counted.
    const { business: elsewhere } = await buildBusiness(models);
    await buildLead(models, elsewhere, { campaignName: "Launch Sprint" });

    const ctx = await contextFor(db.current, business, owner);
    const results = await campaignResults(deps, ctx, [launch, quiet]);
    expect(results.get(launch.id)).toEqual({
      leads: 3,
      wonDeals: 3,
      revenueMinor: 15_000_000,
      otherCurrencyWonDeals: 1,
      // (1,50,000 − 50,000) / 50,000
      roi: 2,
      costPerLeadMinor: Math.round(5_000_000 / 3),
    });
    expect(results.get(quiet.id)).toEqual({
      leads: 0,
      wonDeals: 0,
      revenueMinor: 0,
      otherCurrencyWonDeals: 0,
      roi: null,
      costPerLeadMinor: null,
    });

    // A sales member counts only their own leads and deals.
    const { user: seller } = await buildMember(models, business, "sales");
    await buildLead(models, business, { campaignName: "Launch Sprint", ownerId: seller.id });
    const sellerCtx = await contextFor(db.current, business, seller);
    const own = await campaignResults(deps, sellerCtx, [launch]);
    expect(own.get(launch.id)).toMatchObject({ leads: 1, wonDeals: 0, revenueMinor: 0, roi: -1 });
  });
});

import { buildTestApp, type TestApp } from "../../../test/support/app";
import { apiAs } from "../../../test/support/api";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { campaignSchema } from "./schema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("campaigns API", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let api: Awaited<ReturnType<typeof apiAs>>;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    owner = await buildUser(t.deps.models, { planCode: "gold" });
    ({ business } = await buildBusiness(t.deps.models, { owner }));
    api = await apiAs(t, owner, business);
  });
  afterAll(() => t.close());

  it("creates, reads, changes and deletes a campaign; answers match the declared schema", async () => {
    const created = await api("post", "/campaigns", {
      name: "Webinar Series Q2",
      channel: "webinar",
      objective: "Weekly webinars",
      startsOn: "2025-05-10",
      endsOn: "2025-05-24",
      budgetMinor: 4_500_000,
      compliance: [{ label: "Speaker consent", done: false }],
      utmCampaign: "webinar-q2",
    }).expect(201);
    const id = created.body.data.id as number;
    expect(created.headers.location).toBe(`/api/v1/campaigns/${id}`);
    expect(created.body.data).toMatchObject({
      currency: "INR",
      status: "planned",
      priority: "medium",
      ownerId: owner.id,
      teamIds: [],
      results: { generatedLeads: 0, roi: null, costPerLeadMinor: null },
    });
    expect(campaignSchema.safeParse(created.body.data).success).toBe(true);

    await buildLead(t.deps.models, business, { utmCampaign: "Webinar-Q2" });
    const patched = await api("patch", `/campaigns/${id}`, {
      status: "active",
      actualSpendMinor: 1_000_000,
      teamIds: [owner.id],
    }).expect(200);
    expect(patched.body.data).toMatchObject({
      status: "active",
      teamIds: [owner.id],
      results: { generatedLeads: 1, wonDeals: 0, roi: -1, costPerLeadMinor: 1_000_000 },
    });
    expect(campaignSchema.safeParse(patched.body.data).success).toBe(true);

    const bad = await api("patch", `/campaigns/${id}`, {
      status: "done",
      budgetMinor: -5,
      extra: 1,
    }).expect(422);
    expect(bad.body.error).toBe("validation_failed");
    expect(bad.body.details.fields).toMatchObject({
      status: expect.any(String),
      budgetMinor: expect.any(String),
    });
    const shown = await api("get", `/campaigns/${id}`).expect(200);
    expect(shown.body.data.status).toBe("active");

    await api("delete", `/campaigns/${id}`).expect(200);
    await api("get", `/campaigns/${id}`).expect(404);
  });

  it("is for roles that plan campaigns: marketing yes, sales no; another business's campaign is 404", async () => {
    const marketer = (await buildMember(t.deps.models, business, "marketing")).user;
    const seller = (await buildMember(t.deps.models, business, "sales")).user;
    const campaign = await buildCampaign(t.deps.models, business, { name: "Role check" });
    const marketing = await apiAs(t, marketer, business);
    await marketing("get", `/campaigns/${campaign.id}`).expect(200);
    const sales = await apiAs(t, seller, business);
    await sales("get", "/campaigns").expect(403);
    await sales("post", "/campaigns", { name: "Not mine" }).expect(403);
    const { business: other } = await buildBusiness(t.deps.models);
    const foreign = await buildCampaign(t.deps.models, other, { name: "Foreign" });
    await api("get", `/campaigns/${foreign.id}`).expect(404);
    await api("patch", `/campaigns/${foreign.id}`, { status: "paused" }).expect(404);
    await api("delete", `/campaigns/${foreign.id}`).expect(404);
    expect((await foreign.reload()).status).toBe("planned");
  });

  it("lists by cursor with filters", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(t.deps.models, {
      owner: await buildUser(t.deps.models, { planCode: "gold" }),
    });
    const otherApi = await apiAs(t, otherOwner, other);
    for (const name of ["One", "Two", "Three"])
      await buildCampaign(t.deps.models, other, { name, status: "active" });
    await buildCampaign(t.deps.models, other, { name: "Paused one", status: "paused" });
    const first = await otherApi("get", "/campaigns?status=active&limit=2").expect(200);
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(["Three", "Two"]);
    const cursor = first.body.nextCursor as string;
    const second = await otherApi(
      "get",
      `/campaigns?status=active&limit=2&cursor=${cursor}`,
    ).expect(200);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(["One"]);
    expect(second.body.nextCursor).toBeNull();
    await otherApi("get", "/campaigns?channel=fax").expect(422);
    for (const item of [...first.body.data, ...second.body.data])
      expect(campaignSchema.safeParse(item).success).toBe(true);
  });
});

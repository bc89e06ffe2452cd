import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildSendWorld } from "../../../test/factoriesCampaignSends";
import { buildEmailChannel, buildEmailTemplate } from "../../../test/factoriesEmail";
import { apiAs } from "../../../test/support/api";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { signedIn } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { closeSendRateLimiters } from "../../commands/campaigns/sending/limiter";

jest.setTimeout(120_000);

describe("sending a campaign from its pages and the API", () => {
  const standIn = new WhatsAppCloudStandIn();
  let t: TestApp;

  beforeAll(async () => {
    await standIn.start();
    t = await buildTestApp({ WHATSAPP_GRAPH_BASE_URL: standIn.url, CAMPAIGN_TICK_MS: "200" });
  });
  afterAll(async () => {
    await t.close();
    await closeSendRateLimiters();
    await standIn.stop();
  });

  async function until(check: () => Promise<boolean>, what: string) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it("walks the steps, shows the pre-flight, sends, and shows live results, CSV and the recipients API", async () => {
    const world = await buildSendWorld(t.deps, standIn, { count: 6, messagingLimit: 250 });
    const agent = await signedIn(t, world.owner.email);
    const id = world.campaign.id;

    const wizard = await agent.get(`/campaigns/${id}/send`).expect(200);
    expect(wizard.text).toContain("Pre-flight");
    expect(wizard.text).toMatch(/data-preflight="reachable">6</);
    expect(wizard.text).toContain(world.template.name);

    // A bad step comes back with its error and nothing saved.
    const bad = await agent
      .post(`/campaigns/${id}/send/settings`)
      .type("form")
      .send({
        _csrf: csrfFrom(wizard),
        channel: "whatsapp",
        templateId: String(world.template.id),
        audienceKind: "segment",
        consentRule: "consented_only",
      })
      .expect(422);
    expect(bad.text).toContain("Choose a segment.");

    await agent
      .post(`/campaigns/${id}/send/settings`)
      .type("form")
      .send({
        _csrf: csrfFrom(wizard),
        channel: "whatsapp",
        templateId: String(world.template.id),
        audienceKind: "all",
        consentRule: "consented_only",
      })
      .expect(303);
    const started = await agent
      .post(`/campaigns/${id}/send/start`)
      .type("form")
      .send({ _csrf: csrfFrom(wizard), when: "now" })
      .expect(303);
    expect(started.headers.location).toBe(`/campaigns/${id}/results`);

    await until(
      async () => (await world.campaign.reload()).sendState === "completed",
      "completion",
    );
    const results = await agent.get(`/campaigns/${id}/results`).expect(200);
    expect(results.text).toMatch(/data-count="sent">6</);
    expect(results.text).toMatch(/data-count="failed">0</);
    expect(results.text).toContain("delivery-chart");
    expect(standIn.counts()).toMatchObject({ accepted: 6, duplicateRecipients: 0 });

    const csv = await agent.get(`/campaigns/${id}/results.csv`).expect(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.text.trim().split("\n")).toHaveLength(7);

    const api = await apiAs(t, world.owner, world.business);
    const page1 = await api("get", `/campaigns/${id}/recipients?limit=4`).expect(200);
    expect(page1.body.data).toHaveLength(4);
    expect(page1.body.data[0]).toMatchObject({ status: "sent", errorCode: null });
    const page2 = await api(
      "get",
      `/campaigns/${id}/recipients?limit=4&cursor=${page1.body.nextCursor as string}`,
    ).expect(200);
    expect(page2.body.data).toHaveLength(2);
    const paused = await api("post", `/campaigns/${id}/pause`).expect(409);
    expect(paused.body.error).toBe("conflict");

    // Duplicate gives a draft with the same settings; sending it over the API schedules it.
    const copy = await agent
      .post(`/campaigns/${id}/duplicate`)
      .type("form")
      .send({ _csrf: csrfFrom(wizard) })
      .expect(303);
    const copyId = Number(/\/campaigns\/(\d+)\/send/.exec(copy.headers.location as string)![1]);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await api("post", `/campaigns/${copyId}/send`, { at }).expect(202);
    expect(scheduled.body.data).toMatchObject({ sendState: "scheduled" });
    const cancelled = await api("post", `/campaigns/${copyId}/cancel`).expect(200);
    expect(cancelled.body.data.sendState).toBe("cancelled");
  });

  it("counts an e-mail address that bounced before as suppressed in the pre-flight", async () => {
    const owner = await buildUser(t.deps.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(t.deps.models, { owner });
    await buildEmailChannel(t.deps.models, business);
    const consentAt = new Date("2026-01-01T00:00:00Z");
    const bounced = await buildCustomer(t.deps.models, business, {
      email: uniqueEmail("Bounced"),
      consentAt,
    });
    await buildCustomer(t.deps.models, business, { email: uniqueEmail("fine"), consentAt });
    await t.deps.models.EmailSuppression.create({
      businessId: business.id,
      email: (bounced.email ?? "").toLowerCase(),
      reason: "Bounced: 550 No such user",
      campaignId: null,
      customerId: bounced.id,
    });
    const campaign = await buildCampaign(t.deps.models, business, {
      channel: "email",
      templateId: (await buildEmailTemplate(t.deps.models, business)).id,
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    });
    const agent = await signedIn(t, owner.email);
    const page = await agent.get(`/campaigns/${campaign.id}/send`).expect(200);
    expect(page.text).toMatch(/data-preflight="reachable">1</);
    expect(page.text).toMatch(
      /E-mail suppressed \(bounced before\)<\/dt><dd[^>]*data-preflight="suppressed">1</,
    );
  });
});

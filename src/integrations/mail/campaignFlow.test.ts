import request from "supertest";
import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildEmailChannel, buildEmailTemplate } from "../../../test/factoriesEmail";
import { startSmtpSink, type SmtpSink } from "../../../test/standins/smtpSink";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { systemContextFor } from "../../../test/support/deps";
import { runSendBatch, sendBatchSize } from "../../commands/campaigns/sending/batch";
import { startSending } from "../../commands/campaigns/sending/dispatch";
import type { Business, Campaign, Customer, MessageTemplate } from "../../models";
import { closeCampaignTransports } from "./emailSetup";

/**
 * An e-mail campaign end to end through the dispatcher's own steps (freeze the audience, send a
 * batch) with the registered e-mail sender and the SMTP sink; then one recipient unsubscribes
 * with RFC 8058's one-click POST and is never sent to again — not by the campaign already
 * sending, nor by the next one.
 */
describe("an e-mail campaign to the SMTP sink, and an unsubscribe that sticks", () => {
  let t: TestApp;
  let sink: SmtpSink;
  let business: Business;
  let template: MessageTemplate;
  let customers: Customer[];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp({ SMTP_URL: sink.url });
    const owner = await buildUser(t.deps.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(t.deps.models, { owner, name: "Lotus Sarees" }));
    await buildEmailChannel(t.deps.models, business, { fromAddress: "offers@lotus.example.com" });
    template = await buildEmailTemplate(t.deps.models, business, { name: "Offer" });
    const consentAt = new Date("2030-01-01T00:00:00Z");
    customers = [];
    for (const name of ["Asha Verma", "Ravi Kumar", "Meera Iyer"])
      customers.push(
        await buildCustomer(t.deps.models, business, { name, email: uniqueEmail("c"), consentAt }),
      );
  });
  afterAll(async () => {
    await closeCampaignTransports(t.deps.config);
    await t.close();
    await sink.close();
  });

  async function emailCampaign(name: string): Promise<Campaign> {
    return buildCampaign(t.deps.models, business, {
      name,
      channel: "email",
      templateId: template.id,
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    });
  }

  async function send(campaign: Campaign) {
    const ctx = await systemContextFor(t.deps, business);
    const frozen = await startSending(t.deps, ctx, campaign);
    const rows = await t.deps.models.CampaignRecipient.findAll({
      where: { businessId: business.id, campaignId: campaign.id },
      order: [["id", "ASC"]],
    });
    for (const fromId of new Set(rows.map((r) => r.id - (r.id % sendBatchSize))))
      await runSendBatch(t.deps, ctx, { campaignId: campaign.id, fromId });
    return { frozen, rows };
  }

  const rowsOf = (campaign: Campaign) =>
    t.deps.models.CampaignRecipient.findAll({
      where: { businessId: business.id, campaignId: campaign.id },
      order: [["customerId", "ASC"]],
    });
  const address = (c: Customer) => (c.email ?? "").toLowerCase();

  it("sends each recipient once, records the Message-ID, and stops after a one-click unsubscribe", async () => {
    const first = await emailCampaign("Festive offers");
    const { frozen } = await send(first);
    expect(frozen).toBe(3);
    const sent = await rowsOf(first);
    expect(sent.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    for (const [i, row] of sent.entries()) {
      const messages = sink.to(address(customers[i] as Customer));
      expect(messages).toHaveLength(1);
      expect(messages[0]?.headers["message-id"]).toBe(row.providerMessageId);
    }

    // Asha presses her mail client's Unsubscribe: the header's https link, one-click POST.
    const asha = customers[0] as Customer;
    const header = sink.to(address(asha))[0]?.headers["list-unsubscribe"] ?? "";
    const link = /<(https?:[^>]+)>/.exec(header)?.[1] ?? "";
    const path = new URL(link).pathname;
    await request(t.app).post(path).type("form").send("List-Unsubscribe=One-Click").expect(200);

    // The next campaign's audience leaves her out; she gets nothing more.
    const next = await emailCampaign("Second offer");
    const { frozen: nextFrozen, rows } = await send(next);
    expect(nextFrozen).toBe(2);
    expect(rows.map((r) => r.customerId)).not.toContain(asha.id);
    expect(sink.to(address(asha))).toHaveLength(1);
    expect(sink.to(address(customers[1] as Customer))).toHaveLength(2);
  });

  it("withdraws a queued row of a campaign frozen before the unsubscribe", async () => {
    const meera = customers[2] as Customer;
    const campaign = await emailCampaign("Frozen before");
    const ctx = await systemContextFor(t.deps, business);
    await startSending(t.deps, ctx, campaign);
    const before = await rowsOf(campaign);
    expect(before.map((r) => r.customerId)).toContain(meera.id);
    const pageToken = /\/u\/([^>]+)>/.exec(
      sink.to(address(meera))[0]?.headers["list-unsubscribe"] ?? "",
    )?.[1];
    await request(t.app).post(`/u/${pageToken}`).type("form").send("").expect(200);
    const countBefore = sink.to(address(meera)).length;
    const rows = await rowsOf(campaign);
    for (const fromId of new Set(rows.map((r) => r.id - (r.id % sendBatchSize))))
      await runSendBatch(t.deps, ctx, { campaignId: campaign.id, fromId });
    const after = await rowsOf(campaign);
    expect(after.find((r) => r.customerId === meera.id)?.status).toBe("opted_out");
    expect(sink.to(address(meera))).toHaveLength(countBefore);
  });
});

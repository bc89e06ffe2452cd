import request from "supertest";
import { buildBusiness, buildCustomer, buildUser } from "../../../test/factories";
import { buildRecipient, buildSendCampaign } from "../../../test/factoriesCampaignSends";
import { buildMessageTemplate, buildWhatsAppChannel } from "../../../test/factoriesMessaging";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { createWhatsAppClient } from "../../integrations/whatsapp/client";
import { whatsAppSignature } from "../../integrations/whatsapp/signature";
import { FakeClock } from "../../lib/clock";
import { closeLiveNotifications, liveNotificationsFor } from "../../notifications/live";
import type { Business, MessagingChannel } from "../../models";

const appSecret = "meta-app-secret-for-tests";
const verifyToken = "verify-me-please";

/** Issue 11 item 5 (WhatsApp half): the handshake, signatures, statuses, opt-outs and inbound. */
describe("WhatsApp webhook", () => {
  let t: TestApp;
  let standIn: WhatsAppCloudStandIn;
  const clock = new FakeClock("2031-03-01T10:00:00Z");

  beforeAll(async () => {
    standIn = await new WhatsAppCloudStandIn({ appSecret, now: () => clock.nowMs() }).start();
    t = await buildTestApp(
      {
        WHATSAPP_GRAPH_BASE_URL: standIn.url,
        WHATSAPP_APP_SECRET: appSecret,
        WHATSAPP_VERIFY_TOKEN: verifyToken,
      },
      { clock },
    );
    // The stand-in posts its signed webhooks straight into the app.
    standIn.webhooks.sender = async (body, signature) =>
      (
        await request(t.app)
          .post("/webhooks/whatsapp")
          .set("content-type", "application/json")
          .set("x-hub-signature-256", signature)
          .send(body)
      ).status;
  });
  afterAll(async () => {
    await closeLiveNotifications(t.deps.config);
    await t.close();
    await standIn.stop();
  });

  async function business(): Promise<{ business: Business; channel: MessagingChannel }> {
    const { business } = await buildBusiness(t.deps.models, {
      owner: await buildUser(t.deps.models),
    });
    const channel = await buildWhatsAppChannel(t.deps.models, t.deps.config, business, {
      token: `token-${business.id}`,
    });
    standIn.addNumber({
      phoneNumberId: channel.phoneNumberId!,
      wabaId: channel.wabaId!,
      token: `token-${business.id}`,
      tier: 1000,
    });
    return { business, channel };
  }

  const unix = () => String(Math.floor(clock.nowMs() / 1000));

  function statusBody(phoneNumberId: string, statuses: Array<Record<string, unknown>>) {
    return JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "waba",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "919800000000", phone_number_id: phoneNumberId },
                statuses,
              },
            },
          ],
        },
      ],
    });
  }

  const signedPost = (body: string, signature = whatsAppSignature(appSecret, body)) =>
    request(t.app)
      .post("/webhooks/whatsapp")
      .set("content-type", "application/json")
      .set("x-hub-signature-256", signature)
      .send(body);

  describe("verification handshake", () => {
    it("answers the challenge when the verify token matches", async () => {
      const ok = await request(t.app).get("/webhooks/whatsapp").query({
        "hub.mode": "subscribe",
        "hub.verify_token": verifyToken,
        "hub.challenge": "1158201444",
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe("1158201444");
    });

    it("answers 403 for a wrong or missing token", async () => {
      for (const query of [
        { "hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1" },
        { "hub.mode": "subscribe", "hub.challenge": "1" },
        { "hub.mode": "unsubscribe", "hub.verify_token": verifyToken, "hub.challenge": "1" },
      ]) {
        const refused = await request(t.app).get("/webhooks/whatsapp").query(query);
        expect(refused.status).toBe(403);
        expect(refused.text).not.toContain("1");
      }
    });
  });

  it("refuses a missing or wrong signature with 401 and applies nothing", async () => {
    const { business: b, channel } = await business();
    const campaign = await buildSendCampaign(t.deps.models, b);
    const recipient = await buildRecipient(t.deps.models, b, campaign, { status: "sent" });
    const customer = await buildCustomer(t.deps.models, b);
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: channel.wabaId,
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: channel.phoneNumberId },
                statuses: [
                  {
                    id: recipient.providerMessageId,
                    status: "read",
                    timestamp: unix(),
                    recipient_id: "1",
                  },
                ],
                messages: [
                  {
                    from: customer.phoneE164.slice(1),
                    id: "wamid.in-1",
                    timestamp: unix(),
                    type: "text",
                    text: { body: "STOP" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const unsigned = await request(t.app)
      .post("/webhooks/whatsapp")
      .set("content-type", "application/json")
      .send(body);
    expect(unsigned.status).toBe(401);
    const forged = await signedPost(body, whatsAppSignature("another-secret", body));
    expect(forged.status).toBe(401);
    // Signed for other bytes: one space changes everything.
    expect((await signedPost(body, whatsAppSignature(appSecret, `${body} `))).status).toBe(401);
    await recipient.reload();
    await customer.reload();
    expect(recipient.status).toBe("sent");
    expect(customer.marketingOptedOutAt).toBeNull();
    expect(await t.deps.models.InboundMessage.count({ where: { businessId: b.id } })).toBe(0);
  });

  it("applies statuses only to the business that owns the phone number id", async () => {
    const a = await business();
    const b = await business();
    const campaign = await buildSendCampaign(t.deps.models, b.business);
    const recipient = await buildRecipient(t.deps.models, b.business, campaign, { status: "sent" });
    const status = {
      id: recipient.providerMessageId,
      status: "delivered",
      timestamp: unix(),
      recipient_id: "1",
    };
    // Under A's number: B's row is another tenant's and stays as it was (recent: "deliver again").
    const wrong = await signedPost(statusBody(a.channel.phoneNumberId!, [status]));
    expect(wrong.status).toBe(503);
    await recipient.reload();
    expect(recipient.status).toBe("sent");
    const right = await signedPost(statusBody(b.channel.phoneNumberId!, [status]));
    expect(right.status).toBe(200);
    await recipient.reload();
    expect(recipient.status).toBe("delivered");
    // A number nobody connected is acknowledged and ignored.
    const unknown = await signedPost(statusBody("999000111", [status]));
    expect(unknown.status).toBe(200);
    expect((unknown.body as { data: { unknownNumbers: number } }).data.unknownNumbers).toBe(1);
  });

  it("signals the campaign's live results when a status applies, and no other campaign's", async () => {
    const { business: b, channel } = await business();
    const campaign = await buildSendCampaign(t.deps.models, b);
    const quiet = await buildSendCampaign(t.deps.models, b);
    const recipient = await buildRecipient(t.deps.models, b, campaign, { status: "sent" });
    const live = liveNotificationsFor(t.deps.config);
    const heard: number[] = [];
    const stops = await Promise.all(
      [campaign, quiet].map((c) =>
        live.listenCampaign({ businessId: b.id, campaignId: c.id }, () => heard.push(c.id)),
      ),
    );
    try {
      const status = { id: recipient.providerMessageId, status: "read", timestamp: unix() };
      const posted = await signedPost(statusBody(channel.phoneNumberId!, [status]));
      expect(posted.status).toBe(200);
      // Through Redis pub/sub when REDIS_URL is set: well under the page's 5 s backstop.
      const until = Date.now() + 2000;
      while (!heard.includes(campaign.id) && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toContain(campaign.id);
      expect(heard).not.toContain(quiet.id);
      // A status nobody recorded signals nothing.
      heard.length = 0;
      const old = String(Math.floor(clock.nowMs() / 1000) - 3600);
      await signedPost(
        statusBody(channel.phoneNumberId!, [{ ...status, id: "wamid.none", timestamp: old }]),
      ).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toEqual([]);
    } finally {
      for (const stop of stops) stop();
    }
  });

  it("ends each recipient at its final status whatever the order and duplicates (stand-in sends, shuffled ×3)", async () => {
    const { business: b, channel } = await business();
    standIn.addTemplate({ wabaId: channel.wabaId!, name: "promo", language: "en", paramCount: 1 });
    const campaign = await buildSendCampaign(t.deps.models, b);
    const api = createWhatsAppClient({ baseUrl: standIn.url });
    const recipients = [];
    standIn.options.statusFlow = ["sent", "delivered", "read"];
    for (let i = 0; i < 6; i += 1) {
      const row = await buildRecipient(t.deps.models, b, campaign, { status: "sending" });
      if (i === 5) standIn.failRecipient(row.address, 131026, "webhook");
      const sent = await api.sendTemplate(
        channel.phoneNumberId!,
        `token-${b.id}`,
        row.address,
        "promo",
        "en",
        ["Asha"],
      );
      if (!sent.ok) throw new Error(sent.error.message);
      await row.update({ providerMessageId: sent.wamid });
      recipients.push(row);
    }
    const delivered = await standIn.deliverStatuses({
      duplicates: 3,
      shuffle: true,
      concurrency: 1,
    });
    expect(delivered.refused).toBe(0);
    for (const [i, row] of recipients.entries()) {
      await row.reload();
      if (i === 5) expect(row).toMatchObject({ status: "failed", errorCode: "131026" });
      else expect(row.status).toBe("read");
      if (i < 5) expect(row.deliveredAt).toBeInstanceOf(Date);
    }
    standIn.options.statusFlow = undefined;
  });

  it("opts a customer out on STOP (any case, spaces), on the business's own keyword, once", async () => {
    const { business: b, channel } = await business();
    await channel.update({ optOutKeywords: JSON.stringify(["BAND KARO"]) });
    const asha = await buildCustomer(t.deps.models, b, { name: "Asha" });
    const ravi = await buildCustomer(t.deps.models, b, { name: "Ravi" });
    const number = standIn.numbers.get(channel.phoneNumberId!)!;
    const first = await standIn.webhooks.inbound(number, asha.phoneE164, "  stop ");
    expect(first.status).toBe(200);
    await asha.reload();
    expect(asha.marketingOptedOutAt).toBeInstanceOf(Date);
    expect(asha.marketingOptOutReason).toContain("stop");
    expect((await standIn.webhooks.inbound(number, ravi.phoneE164, "Band karo")).status).toBe(200);
    await ravi.reload();
    expect(ravi.marketingOptedOutAt).toBeInstanceOf(Date);
    // The same delivery again changes nothing more: one opt-out entry on the timeline.
    const replay = standIn.webhooks.posted.at(-2)!;
    expect((await signedPost(replay.body)).status).toBe(200);
    const events = await t.deps.models.TimelineEvent.count({
      where: { businessId: b.id, customerId: asha.id, kind: "marketing_opted_out" },
    });
    expect(events).toBe(1);
    const kept = await t.deps.models.InboundMessage.findAll({ where: { businessId: b.id } });
    expect(kept.map((m) => m.outcome).sort()).toEqual(["opted_out", "opted_out"]);
  });

  it("puts other messages on the customer's timeline once, and keeps unmatched ones", async () => {
    const { business: b, channel } = await business();
    const customer = await buildCustomer(t.deps.models, b, { name: "Meera" });
    const number = standIn.numbers.get(channel.phoneNumberId!)!;
    const sent = await standIn.webhooks.inbound(
      number,
      customer.phoneE164,
      "Is the shop open on Sunday?",
    );
    expect(sent.status).toBe(200);
    await signedPost(standIn.webhooks.posted.at(-1)!.body).expect(200);
    const events = await t.deps.models.TimelineEvent.findAll({
      where: { businessId: b.id, customerId: customer.id, kind: "message_received" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details!)).toMatchObject({
      channel: "whatsapp",
      text: "Is the shop open on Sunday?",
    });
    await customer.reload();
    expect(customer.marketingOptedOutAt).toBeNull();
    await standIn.webhooks.inbound(number, "+14155550123", "Hello?");
    const unmatched = await t.deps.models.InboundMessage.findOne({
      where: { businessId: b.id, outcome: "unmatched" },
    });
    expect(unmatched).toMatchObject({
      fromAddress: "+14155550123",
      body: "Hello?",
      customerId: null,
    });
  });

  it("applies template approvals and rejections from message_template_status_update", async () => {
    const { business: b, channel } = await business();
    const other = await business();
    const template = await buildMessageTemplate(t.deps.models, b, {
      name: "festive",
      status: "pending",
      providerTemplateId: "5551",
    });
    const theirs = await buildMessageTemplate(t.deps.models, other.business, {
      name: "festive",
      status: "pending",
      providerTemplateId: "5552",
    });
    const update = (event: string, reason = "NONE") =>
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: channel.wabaId,
            changes: [
              {
                field: "message_template_status_update",
                value: {
                  event,
                  message_template_id: 5551,
                  message_template_name: "festive",
                  message_template_language: "en",
                  reason,
                },
              },
            ],
          },
        ],
      });
    expect((await signedPost(update("REJECTED", "INVALID_FORMAT"))).status).toBe(200);
    await template.reload();
    expect(template).toMatchObject({ status: "rejected", rejectionReason: "INVALID_FORMAT" });
    expect((await signedPost(update("APPROVED"))).status).toBe(200);
    await template.reload();
    await theirs.reload();
    expect(template).toMatchObject({ status: "approved", rejectionReason: null });
    expect(theirs.status).toBe("pending");
  });
});

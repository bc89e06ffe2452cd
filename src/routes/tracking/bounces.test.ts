import request from "supertest";
import { buildBusiness, buildCustomer, uniqueEmail } from "../../../test/factories";
import { buildEmailRecipient } from "../../../test/factoriesEmail";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { newMessageId } from "../../integrations/mail/campaignTransport";
import { FakeClock } from "../../lib/clock";
import { closeLiveNotifications, liveNotificationsFor } from "../../notifications/live";
import type { Business } from "../../models";

const clock = new FakeClock("2030-03-01T09:00:00Z");
const secret = "bounce-secret-0123456789";

/** A DSN as Postfix sends it back to the envelope sender, quoting the original headers. */
function dsn(messageId: string, to: string, status = "5.1.1", action = "failed") {
  return [
    "From: MAILER-DAEMON@mx.example.net",
    "To: offers@lotus.example.com",
    "Subject: Undelivered Mail Returned to Sender",
    "Message-ID: <20300301090000.ABC@mx.example.net>",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain",
    "",
    "I'm sorry to have to inform you that your message could not be delivered.",
    "--b1",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    `Final-Recipient: rfc822; ${to}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} <${to}>: Recipient address rejected: User unknown`,
    "--b1",
    "Content-Type: text/rfc822-headers",
    "",
    "From: Lotus Sarees <offers@lotus.example.com>",
    `To: ${to}`,
    `Message-ID: ${messageId}`,
    "--b1--",
    "",
  ].join("\r\n");
}

describe("bounces (DSNs) forwarded to /webhooks/mail/bounces", () => {
  let t: TestApp;
  let business: Business;
  let other: Business;

  beforeAll(async () => {
    t = await buildTestApp({ INBOUND_MAIL_SECRET: secret }, { clock });
    ({ business } = await buildBusiness(t.deps.models));
    ({ business: other } = await buildBusiness(t.deps.models));
  });
  afterAll(async () => {
    await closeLiveNotifications(t.deps.config);
    await t.close();
  });

  async function sent(b: Business) {
    const customer = await buildCustomer(t.deps.models, b, { email: uniqueEmail("bounce") });
    const recipient = await buildEmailRecipient(t.deps.models, b, customer, {
      sentAt: new Date("2030-03-01T08:00:00Z"),
    });
    const messageId = newMessageId("offers@lotus.example.com", b.id, recipient.id);
    await recipient.update({ providerMessageId: messageId });
    return recipient;
  }

  const post = (body: string, key = secret) =>
    request(t.app)
      .post("/webhooks/mail/bounces")
      .set("Content-Type", "message/rfc822")
      .set("X-Inbound-Mail-Secret", key)
      .send(body);

  it("marks the quoted message's recipient bounced, with the reason", async () => {
    const recipient = await sent(business);
    const heard: number[] = [];
    const stop = await liveNotificationsFor(t.deps.config).listenCampaign(
      { businessId: business.id, campaignId: recipient.campaignId },
      () => heard.push(recipient.campaignId),
    );
    const res = await post(dsn(recipient.providerMessageId ?? "", recipient.address)).expect(200);
    // The campaign's open results pages hear of it (through Redis when REDIS_URL is set).
    for (let i = 0; i < 100 && heard.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(heard).toEqual([recipient.campaignId]);
    expect(res.body.data).toEqual({ outcome: "bounced" });
    await recipient.reload();
    expect(recipient.status).toBe("bounced");
    expect(recipient.errorCode).toBe("5.1.1");
    expect(recipient.errorReason).toContain("Bounced: 550 5.1.1");
    expect(recipient.failedAt?.toISOString()).toBe("2030-03-01T09:00:00.000Z");

    // The address is suppressed for the business's marketing e-mail, once, and the customer's
    // timeline says why; a replayed DSN adds nothing.
    await post(dsn(recipient.providerMessageId ?? "", recipient.address)).expect(200);
    const { EmailSuppression, TimelineEvent } = t.deps.models;
    const rows = await EmailSuppression.findAll({ where: { businessId: business.id } });
    expect(rows.map((r) => [r.email, r.customerId, r.campaignId])).toEqual([
      [recipient.address.toLowerCase(), recipient.customerId, recipient.campaignId],
    ]);
    expect(rows[0]?.reason).toContain("Bounced: 550 5.1.1");
    const events = await TimelineEvent.findAll({
      where: { customerId: recipient.customerId, kind: "email_suppressed" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? "{}")).toMatchObject({
      email: recipient.address.toLowerCase(),
      campaignId: recipient.campaignId,
    });
  });

  it("refuses a wrong secret (401) and ignores delays; nothing changes", async () => {
    const recipient = await sent(business);
    await post(dsn(recipient.providerMessageId ?? "", recipient.address), "wrong-secret").expect(
      401,
    );
    const delay = await post(
      dsn(recipient.providerMessageId ?? "", recipient.address, "4.4.1", "delayed"),
    );
    expect(delay.body.data).toEqual({ outcome: "temporary" });
    await recipient.reload();
    expect(recipient.status).toBe("sent");
  });

  it("never touches another business's row: the Message-ID's business scopes the update", async () => {
    const victim = await sent(other);
    // The victim's provider id, but a Message-ID naming `business` (as a forged DSN might).
    const forged = (victim.providerMessageId ?? "").replace(`.b${other.id}.`, `.b${business.id}.`);
    await victim.update({
      providerMessageId: forged.replace(`.b${business.id}.`, `.b${other.id}.`),
    });
    const res = await post(dsn(forged, victim.address)).expect(200);
    expect(res.body.data).toEqual({ outcome: "not_found" });
    await victim.reload();
    expect(victim.status).toBe("sent");
  });
});

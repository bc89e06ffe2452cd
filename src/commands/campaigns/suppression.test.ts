import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildEmailChannel, buildEmailTemplate } from "../../../test/factoriesEmail";
import { useTestDatabase } from "../../../test/support/database";
import { useEmailCampaignWorld } from "../../../test/support/emailCampaigns";
import { systemContextFor } from "../../../test/support/deps";
import type { Business, Customer } from "../../models";
import { countAudience } from "./sending/audience";
import { startSending } from "./sending/dispatch";
import { resendFailed } from "./lifecycle";

const db = useTestDatabase();
jest.setTimeout(120_000);

/**
 * A hard bounce suppresses the address for the business's marketing e-mail: the next e-mail
 * campaign's pre-flight counts it as suppressed and its audience leaves it out; WhatsApp and a
 * changed address are not affected; the customer's timeline says why.
 */
describe("e-mail suppression after a hard bounce", () => {
  const { world, sendAll } = useEmailCampaignWorld(db, "2030-05-01T09:00:00Z");

  const emailCampaign = async (business: Business, name: string) =>
    buildCampaign(db.current.models, business, {
      name,
      channel: "email",
      templateId: (await buildEmailTemplate(db.current.models, business)).id,
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    });

  it("leaves a bounced address out of the next campaign and counts it in the pre-flight", async () => {
    const owner = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(db.current.models, { owner });
    await buildEmailChannel(db.current.models, business, { fromAddress: "news@shop.example.com" });
    const consentAt = new Date("2030-01-01T00:00:00Z");
    const customer = async (label: string) =>
      buildCustomer(db.current.models, business, { email: uniqueEmail(label), consentAt });
    const fine: Customer = await customer("fine");
    const gone: Customer = await customer("gone");
    const spam: Customer = await customer("spam");
    const busy: Customer = await customer("busy");
    const address = (c: Customer) => (c.email ?? "").toLowerCase();
    world.sink.refuse(address(gone), 550, "rcpt");
    world.sink.refuse(address(spam), 554, "data");
    world.sink.refuse(address(busy), 421, "rcpt");

    const ctx = await systemContextFor(db.current, business);
    const first = await emailCampaign(business, "April news");
    expect(await startSending(world.deps, ctx, first)).toBe(4);
    const rows = await sendAll(first);
    const statusOf = (c: Customer) => rows.find((r) => r.customerId === c.id)?.status;
    expect([fine, gone, spam, busy].map(statusOf)).toEqual([
      "sent",
      "bounced",
      "bounced",
      "failed",
    ]);

    // Only hard bounces are suppressed: a 4xx that never cleared (failed, retryable) is not.
    const { EmailSuppression, TimelineEvent } = db.current.models;
    const suppressed = await EmailSuppression.findAll({ where: { businessId: business.id } });
    expect(suppressed.map((s) => s.email).sort()).toEqual([address(gone), address(spam)].sort());
    const events = await TimelineEvent.findAll({
      where: { customerId: gone.id, kind: "email_suppressed" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? "{}")).toMatchObject({
      email: address(gone),
      campaignName: "April news",
      reason: expect.stringMatching(/^Bounced: /),
    });

    const second = await emailCampaign(business, "May news");
    expect(await countAudience(world.deps, ctx, second)).toMatchObject({
      total: 4,
      reachable: 2,
      optedOut: 0,
      suppressed: 2,
    });
    expect(await startSending(world.deps, ctx, second)).toBe(2);
    const frozen = await db.current.models.CampaignRecipient.findAll({
      where: { campaignId: second.id },
    });
    expect(frozen.map((r) => r.customerId).sort()).toEqual([fine.id, busy.id].sort());

    // The person is not opted out: WhatsApp still reaches them; a new address is reachable again.
    await gone.reload();
    expect(gone.marketingOptedOutAt).toBeNull();
    const whatsapp = await buildCampaign(db.current.models, business, {
      channel: "whatsapp",
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    });
    expect((await countAudience(world.deps, ctx, whatsapp)).suppressed).toBe(0);
    await gone.update({ email: uniqueEmail("gone-new") });
    const third = await emailCampaign(business, "June news");
    expect(await countAudience(world.deps, ctx, third)).toMatchObject({
      reachable: 3,
      suppressed: 1,
    });

    // Resend to failed leaves out an address suppressed since (bounced in another campaign).
    await EmailSuppression.create({
      businessId: business.id,
      email: address(busy),
      reason: "Bounced: 550 elsewhere",
      campaignId: null,
      customerId: busy.id,
    });
    await expect(resendFailed(world.deps, ctx, first)).rejects.toThrow(/No recipient failed/);

    // Another business's list is its own.
    const { business: other } = await buildBusiness(db.current.models);
    await buildCustomer(db.current.models, other, { email: address(spam), consentAt });
    const elsewhere = await emailCampaign(other, "Elsewhere");
    const otherCtx = await systemContextFor(db.current, other);
    expect(await countAudience(world.deps, otherCtx, elsewhere)).toMatchObject({
      reachable: 1,
      suppressed: 0,
    });
  });
});

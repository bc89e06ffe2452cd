import type { CreationAttributes } from "sequelize";
import type { Business, Campaign, CampaignRecipient, Customer, Models } from "../src/models";
import { buildCampaign } from "./factoriesCampaigns";
import { sendBatchSize } from "../src/commands/campaigns/sending/claim";
import { buildBusiness, buildCustomer, buildUser } from "./factories";
import { buildMessageTemplate, buildWhatsAppChannel } from "./factoriesMessaging";
import type { Config } from "../src/config";

let counter = 0;

/** A WhatsApp campaign of `business` ready to send to everyone (no template unless given). */
export async function buildSendCampaign(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Campaign>> = {},
): Promise<Campaign> {
  return buildCampaign(models, business, {
    channel: "whatsapp",
    sendAudience: JSON.stringify({ kind: "all" }),
    consentRule: "all_not_opted_out",
    ...overrides,
  });
}

/**
 * A recipient row of `campaign` (building a customer unless given), queued unless overridden; a
 * unique provider id when the status says it was sent.
 */
export async function buildRecipient(
  models: Models,
  business: Business,
  campaign: Campaign,
  overrides: Partial<CreationAttributes<CampaignRecipient>> & { customer?: Customer } = {},
): Promise<CampaignRecipient> {
  counter += 1;
  const { customer: given, ...rest } = overrides;
  const customer =
    given ?? (await buildCustomer(models, business, { name: `Recipient ${counter}` }));
  const sent =
    rest.status !== undefined && !["queued", "sending", "opted_out"].includes(rest.status);
  return models.CampaignRecipient.create({
    businessId: business.id,
    campaignId: campaign.id,
    customerId: customer.id,
    channel: campaign.channel === "email" ? "email" : "whatsapp",
    address: campaign.channel === "email" ? (customer.email ?? "") : customer.phoneE164,
    providerMessageId: sent ? `wamid.test${counter}.${Date.now()}` : null,
    errorCode: null,
    errorReason: null,
    nextAttemptAt: null,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
    openedAt: null,
    clickedAt: null,
    ...rest,
  });
}

/** What the world builder registers at a stand-in (in this process, or bench's in its own). */
export interface SendWorldStandIn {
  addNumber(input: { phoneNumberId: string; token: string; tier: number; wabaId: string }): unknown;
  addTemplate(input: { wabaId: string; name: string; language: string; body: string }): unknown;
}

/**
 * A business ready to send WhatsApp campaigns against `standIn`: its channel (number and token
 * known to the stand-in, at `tier`), an approved template on both sides, `count` consenting
 * customers, and a draft campaign to all of them.
 */
export async function buildSendWorld(
  deps: { models: Models; config: Config },
  standIn: SendWorldStandIn,
  options: { count: number; tier?: number; messagingLimit?: number | null; planCode?: string },
) {
  const { models, config } = deps;
  const owner = await buildUser(models, { planCode: options.planCode ?? "enterprise" });
  const { business } = await buildBusiness(models, { owner });
  const token = `EAAG-${business.id}-token`;
  const channel = await buildWhatsAppChannel(models, config, business, {
    token,
    throughputTier: options.tier ?? 1000,
    messagingLimitTier: options.messagingLimit === undefined ? null : options.messagingLimit,
  });
  standIn.addNumber({
    phoneNumberId: channel.phoneNumberId!,
    token,
    tier: options.tier ?? 1000,
    wabaId: channel.wabaId!,
  });
  const template = await buildMessageTemplate(models, business);
  standIn.addTemplate({
    wabaId: channel.wabaId!,
    name: template.name,
    language: template.language,
    body: template.body,
  });
  await seedCustomers(models, business, options.count);
  const campaign = await buildSendCampaign(models, business, {
    templateId: template.id,
    consentRule: "consented_only",
  });
  return { owner, business, channel, template, campaign };
}

/** `count` consenting customers with distinct numbers, inserted in bulk (fast at thousands). */
export async function seedCustomers(models: Models, business: Business, count: number) {
  const now = new Date("2026-11-01T00:00:00Z");
  const base = 700_000_000 + (business.id % 100) * 1_000_000;
  const rows = Array.from({ length: count }, (_, i) => {
    const digits = String(base + i)
      .padStart(9, "0")
      .slice(-9);
    const phone = `+919${digits}`;
    return {
      businessId: business.id,
      ownerId: business.ownerId,
      name: `Customer ${i + 1}`,
      nameKey: `customer ${i + 1}`,
      nameTail: `${i + 1}`,
      email: null,
      phoneE164: phone,
      phoneNational: `9${digits}`,
      phoneReversed: [...`9${digits}`].reverse().join(""),
      whatsappE164: phone,
      consentAt: now,
      birthDate: null,
      anniversary: null,
      birthdayMd: null,
      anniversaryMd: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await models.Customer.bulkCreate(rows.slice(i, i + 1000));
}

/**
 * The campaign's recipients, one per customer of its business, in `rangeCount` fresh id ranges
 * of the batch size (dealt round-robin), as a send to thousands spreads over batch jobs. Returns
 * each range's first id (a batch job's `fromId`).
 */
export async function buildRecipientsInRanges(
  models: Models,
  business: Business,
  campaign: Campaign,
  rangeCount: number,
): Promise<number[]> {
  const customers = await models.Customer.findAll({
    where: { businessId: business.id },
    order: [["id", "ASC"]],
  });
  const top = Number(await models.CampaignRecipient.max("id")) || 0;
  const start = top - (top % sendBatchSize) + sendBatchSize;
  const ranges = Array.from({ length: rangeCount }, (_, k) => start + k * sendBatchSize);
  for (const [i, customer] of customers.entries())
    await buildRecipient(models, business, campaign, {
      customer,
      id: ranges[i % rangeCount]! + Math.floor(i / rangeCount),
    });
  return ranges;
}

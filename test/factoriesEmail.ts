import type { CreationAttributes } from "sequelize";
import { sealSecret } from "../src/lib/secretBox";
import type {
  Business,
  Campaign,
  CampaignRecipient,
  Customer,
  MessageTemplate,
  MessagingChannel,
  Models,
} from "../src/models";
import { htmlToText } from "../src/commands/emailTemplates/htmlToText";
import { buildCampaign } from "./factoriesCampaigns";
import { uniqueEmail } from "./factories";

let counter = 0;

/** An e-mail template of `business` (saved as the pages save one: approved, text generated). */
export async function buildEmailTemplate(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<MessageTemplate>> = {},
): Promise<MessageTemplate> {
  counter += 1;
  const htmlBody =
    overrides.htmlBody ??
    '<p>Hello {{customer.first_name}},</p><p><a href="https://shop.example.com/sale?x=1&amp;y=2">See the sale</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>';
  return models.MessageTemplate.create({
    businessId: business.id,
    channel: "email",
    name: `E-mail template ${counter}`,
    language: "en",
    subject: "News for {{customer.name}} from {{business.name}}",
    status: "approved",
    ...overrides,
    htmlBody,
    body: htmlToText(htmlBody),
  });
}

/** The e-mail channel of `business`; `smtpUrl` is sealed with `secretsKey` as the pages seal it. */
export async function buildEmailChannel(
  models: Models,
  business: Business,
  options: { secretsKey?: Buffer; smtpUrl?: string } & Partial<
    CreationAttributes<MessagingChannel>
  > = {},
): Promise<MessagingChannel> {
  const { secretsKey, smtpUrl, ...fields } = options;
  return models.MessagingChannel.create({
    businessId: business.id,
    kind: "email",
    fromName: business.name,
    fromAddress: "news@shop.example.com",
    replyTo: "owner@shop.example.com",
    status: "connected",
    smtpUrlSealed: smtpUrl && secretsKey ? sealSecret(secretsKey, smtpUrl) : null,
    ...fields,
  });
}

/** A customer's row in an e-mail campaign (the campaign is built when not given). */
export async function buildEmailRecipient(
  models: Models,
  business: Business,
  customer: Customer,
  overrides: Partial<CreationAttributes<CampaignRecipient>> & { campaign?: Campaign } = {},
): Promise<CampaignRecipient> {
  const { campaign: given, ...fields } = overrides;
  const campaign = given ?? (await buildCampaign(models, business, { channel: "email" }));
  return models.CampaignRecipient.create({
    businessId: business.id,
    campaignId: campaign.id,
    customerId: customer.id,
    channel: "email",
    address: customer.email ?? uniqueEmail("recipient"),
    status: "sent",
    providerMessageId: null,
    errorCode: null,
    errorReason: null,
    nextAttemptAt: null,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
    openedAt: null,
    clickedAt: null,
    ...fields,
  });
}

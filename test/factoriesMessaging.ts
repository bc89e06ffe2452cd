import type { Config } from "../src/config";
import { sealSecret } from "../src/lib/secretBox";
import type { Business, MessageTemplate, MessagingChannel, Models } from "../src/models";
import type { CreationAttributes } from "sequelize";

let sequence = 0;

/** A platform-unique phone number id (digits), like Meta's. */
export function uniquePhoneNumberId(): string {
  sequence += 1;
  return `10${String(Date.now() % 1e9).padStart(9, "0")}${String(sequence).padStart(4, "0")}`;
}

/** A WhatsApp channel of `business`, its token sealed as the settings page seals it. */
export async function buildWhatsAppChannel(
  models: Models,
  config: Pick<Config, "secretsKey">,
  business: Business,
  overrides: Partial<CreationAttributes<MessagingChannel>> & { token?: string } = {},
): Promise<MessagingChannel> {
  const { token = "EAAG-test-token", ...rest } = overrides;
  return models.MessagingChannel.create({
    businessId: business.id,
    kind: "whatsapp",
    phoneNumberId: uniquePhoneNumberId(),
    wabaId: `20${String(Date.now() % 1e9)}${sequence}`,
    accessTokenSealed: sealSecret(config.secretsKey, token),
    throughputTier: 80,
    messagingLimitTier: 250,
    status: "connected",
    ...rest,
  });
}

/** A WhatsApp template of `business` (approved, one placeholder mapped to the name, by default). */
export async function buildMessageTemplate(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<MessageTemplate>> = {},
): Promise<MessageTemplate> {
  sequence += 1;
  return models.MessageTemplate.create({
    businessId: business.id,
    channel: "whatsapp",
    name: `offer_${sequence}`,
    language: "en",
    category: "MARKETING",
    body: "Hello {{1}}, our sale starts today.",
    placeholderMap: JSON.stringify({ "1": { field: "customer.name" } }),
    status: "approved",
    ...overrides,
  });
}

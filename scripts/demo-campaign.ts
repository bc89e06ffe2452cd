/**
 * Dev only: watch a WhatsApp campaign complete, with no Meta account. Starts the Cloud API
 * stand-in (test/standins/whatsappCloud.ts) on a local port, gives the business named by
 * DEMO_BUSINESS_ID (default: the first business) a WhatsApp channel on a stand-in number, an
 * approved template and a campaign to every customer not opted out, starts it, and works its
 * jobs in this process against the app's database at the stand-in's 80 msg/s, printing progress.
 * Open /campaigns/<id>/results in the running app meanwhile to watch it live.
 *
 *   npx tsx scripts/demo-campaign.ts      (refuses to run with NODE_ENV=production)
 */
import { loadConfig } from "../src/config";
import { scheduleSend } from "../src/commands/campaigns/lifecycle";
import { statusCounts } from "../src/commands/campaigns/sendStats";
import { closeSendRateLimiters } from "../src/commands/campaigns/sending/limiter";
import { createSequelize } from "../src/db/connection";
import { createQueue } from "../src/jobs/createQueue";
import { systemClock } from "../src/lib/clock";
import { createLogger } from "../src/logger";
import { initModels } from "../src/models";
import { buildServices, startJobWorkers } from "../src/services";
import { loadTenantContext } from "../src/tenancy/loader";
import { buildSendCampaign } from "../test/factoriesCampaignSends";
import { buildMessageTemplate, buildWhatsAppChannel } from "../test/factoriesMessaging";
import { WhatsAppCloudStandIn } from "../test/standins/whatsappCloud";

async function main() {
  if (process.env.NODE_ENV === "production")
    throw new Error("The demo campaign is for development only.");
  const standIn = await new WhatsAppCloudStandIn({
    statusFlow: ["sent", "delivered", "read"],
  }).start();
  const base = loadConfig();
  const config = { ...base, WHATSAPP_GRAPH_BASE_URL: standIn.url, CAMPAIGN_TICK_MS: 500 };
  const logger = createLogger("warn");
  const sequelize = createSequelize(config.database);
  const models = initModels(sequelize);
  const services = buildServices({
    config,
    logger,
    clock: systemClock,
    sequelize,
    models,
    queue: createQueue(config, logger, systemClock),
  });
  const business = process.env.DEMO_BUSINESS_ID
    ? await models.Business.findByPk(Number(process.env.DEMO_BUSINESS_ID))
    : await models.Business.findOne({ order: [["id", "ASC"]] });
  if (!business) throw new Error("No business yet: start the app once (it seeds the demo).");
  const ctx = await loadTenantContext(services, { businessId: business.id, userId: null });
  if (!ctx) throw new Error("The business has no owner.");
  await models.MessagingChannel.destroy({ where: { businessId: business.id, kind: "whatsapp" } });
  const token = `demo-${Date.now()}`;
  const channel = await buildWhatsAppChannel(models, config, business, {
    token,
    throughputTier: 80,
    messagingLimitTier: null,
  });
  standIn.addNumber({
    phoneNumberId: channel.phoneNumberId!,
    token,
    tier: 80,
    wabaId: channel.wabaId!,
  });
  const template = await buildMessageTemplate(models, business, {
    name: `demo_offer_${Date.now()}`,
  });
  standIn.addTemplate({
    wabaId: channel.wabaId!,
    name: template.name,
    language: "en",
    body: template.body,
  });
  const campaign = await buildSendCampaign(models, business, {
    name: `Demo send ${new Date().toISOString().slice(0, 19)}`,
    templateId: template.id,
  });
  await startJobWorkers(services, 3);
  await scheduleSend(services, ctx, campaign, null);
  process.stdout.write(`Campaign ${campaign.id}: open /campaigns/${campaign.id}/results\n`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    await campaign.reload();
    const c = await statusCounts(services, ctx, campaign.id);
    process.stdout.write(
      `${campaign.sendState}: ${c.sent + c.delivered + c.read}/${c.total} sent, failed ${c.failed}, stand-in accepted ${standIn.sends.length}\n`,
    );
    if (campaign.sendState !== "sending") break;
  }
  await standIn.deliverStatuses();
  await services.close();
  await closeSendRateLimiters();
  await standIn.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { buildCampaign } from "../factoriesCampaigns";
import { buildMessageTemplate } from "../factoriesMessaging";
import { buildEmailTemplate } from "../factoriesEmail";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../factoriesWebhooks";
import { buildSocialAccount } from "../factoriesSocial";
import { buildSocialPost } from "../factoriesSocialPosts";
import type { WalkRecords, WalkSeed } from "./phoneWidthSeed";

/**
 * The phone-width walk's records for campaigns, WhatsApp and e-mail templates, social posts
 * (accounts, media) and webhooks.
 */
export async function marketingRecords(seed: WalkSeed): Promise<WalkRecords> {
  const { deps, owner, business } = seed;
  const { models } = deps;

  // A webhook endpoint with a long URL, and a delivery that gave up, for its log and replay page.
  const hook = await buildWebhookEndpoint(models, business, {
    url: "https://integrations.subramaniam-silks-and-sarees-emporium.example.com/webhooks/crm/customer-events?source=crm&version=2026-12",
    events: ["customer.created", "customer.updated", "customer.deleted", "ticket.created"],
  });
  const { delivery: hookDelivery } = await buildWebhookDelivery(deps, business, hook);
  await hookDelivery.update({
    status: "failed",
    attempts: 31,
    responseStatus: 503,
    durationMs: 10000,
    lastAttemptAt: new Date(),
    lastError: "The receiver answered 503.",
  });

  // A campaign with long words in every field, for the list and its page.
  const campaign = await buildCampaign(models, business, {
    name: "Subramaniam Silks Festive Season Wholesale Catalogue Launch Sprint",
    objective: "Introduce the revised wholesale price list to every showroom partner in Tamil Nadu",
    startsOn: "2026-11-01",
    endsOn: "2026-12-31",
    budgetMinor: 1_10_000_00,
    actualSpendMinor: 45_000_00,
    plannedLeads: 420,
    status: "active",
    compliance: JSON.stringify([{ label: "Consent wording approved by legal", done: true }]),
    utmCampaign: "subramaniam-silks-festive-wholesale-catalogue-launch",
  });

  // A WhatsApp template with a long name, body and buttons (its page, preview and edit form).
  const waTemplate = await buildMessageTemplate(models, business, {
    name: "subramaniam_silks_festive_season_wholesale_catalogue_launch_for_showroom_partners",
    language: "en_US",
    headerText: "Festive season wholesale catalogue for showroom partners",
    body: "Vanakkam {{1}}, the revised wholesale price list for the Kanchipuram and Banarasi collections is ready. Reply to book a showroom visit with {{2}}.",
    footerText: "Reply STOP to opt out of these messages",
    buttons: JSON.stringify([
      {
        type: "URL",
        text: "See the catalogue now",
        url: "https://subramaniam-silks.example.com/catalogue",
      },
    ]),
    placeholderMap: JSON.stringify({
      "1": { field: "customer.first_name", fallback: "partner" },
      "2": { field: "business.name" },
    }),
    status: "rejected",
    rejectionReason: "INCORRECT_CATEGORY: marketing content submitted as utility",
  });
  // An e-mail template with a long name and subject (/email-templates/:templateId, its editor).
  const emailTemplate = await buildEmailTemplate(models, business, {
    name: "Subramaniam Silks festive season wholesale catalogue for showroom partners",
    subject:
      "{{customer.first_name}}, the Kanchipuram and Banarasi wholesale price list for the festive season is ready",
  });

  // A social post with a long text to two accounts, one of them failed with its reason and fix.
  const socialAccounts = [
    await buildSocialAccount(models, business, deps.config.secretsKey, "linkedin", {
      overrides: { displayName: "Subramaniam Silks and Sarees Emporium, Kanchipuram" },
    }),
    await buildSocialAccount(models, business, deps.config.secretsKey, "x"),
  ];
  const socialPost = await buildSocialPost(models, business, socialAccounts, {
    text: "Festive season wholesale catalogue: Kanchipuram and Banarasi silks for showroom partners across Tamil Nadu, Karnataka and Kerala — https://example.com/catalogue/festive-season-wholesale-2026",
    status: "partially_failed",
  });
  await models.SocialPostTarget.update(
    {
      status: "failed",
      errorCause: "content_policy",
      errorMessage: "You are not permitted to create this Post: it violates the X Rules.",
      errorFix: "X refused the content under its rules. Edit the text or image, then retry.",
    },
    { where: { postId: socialPost.id, socialAccountId: socialAccounts[1]!.id } },
  );

  return {
    endpointId: async () => String(hook.id),
    deliveryId: async () => String(hookDelivery.id),
    campaignId: async () => String(campaign.id),
    whatsappTemplateId: async () => String(waTemplate.id),
    templateId: async () => String(emailTemplate.id),
    postId: async () => String(socialPost.id),
    // A suppressed address with a long reason, for the list and the lift confirmation.
    emailSuppressionId: async () => {
      const row = await models.EmailSuppression.create({
        businessId: business.id,
        email: "subramaniam.silks.wholesale.partnerships@long-mailbox-provider.example.com",
        reason:
          "550 5.1.1 <subramaniam.silks.wholesale.partnerships@long-mailbox-provider.example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        campaignId: campaign.id,
        customerId: null,
      });
      return String(row.id);
    },
    // Social accounts: connect (not set up in the walk: back to the list) and callback (400).
    network: async () => "linkedin",
    // Its picture is written after seeding, as an upload leaves it (writeWalkMedia).
    mediaId: async () => {
      const media = await models.SocialMedia.create({
        businessId: business.id,
        filePath: "social/missing.png",
        originalName: "festive-catalogue-cover.png",
        mimeType: "image/png",
        bytes: 1000,
        width: 1080,
        height: 1080,
        thumbnailPath: null,
        uploadedBy: owner.id,
      });
      return String(media.id);
    },
  };
}

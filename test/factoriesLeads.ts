import type { CreationAttributes } from "sequelize";
import type { Business, Lead, Models } from "../src/models";

let counter = 0;

/**
 * A lead of `business`, stage New with score 0, owned by the business's owner; a unique e-mail and
 * phone each time so several leads never collide on the per-business unique indexes.
 */
export async function buildLead(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Lead>> = {},
): Promise<Lead> {
  counter += 1;
  return models.Lead.create({
    businessId: business.id,
    firstName: "Aarav",
    lastName: `Sharma ${counter}`,
    company: "TechVerse",
    jobTitle: null,
    email: `lead${counter}@techverse.test`,
    phoneE164: `+9198765${String(10000 + counter).slice(-5)}`,
    location: null,
    industry: null,
    source: "Website",
    campaignName: null,
    stage: "new",
    score: 0,
    statusReason: null,
    ownerId: business.ownerId,
    createdById: business.ownerId,
    lastContactedAt: null,
    nextAction: null,
    nextActionOn: null,
    bantBudget: false,
    bantAuthority: false,
    bantNeed: false,
    bantTimeline: false,
    interestedProducts: null,
    consentEmailAt: null,
    consentWhatsappAt: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    referrer: null,
    landingPage: null,
    ...overrides,
  });
}

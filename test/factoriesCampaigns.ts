import type { CreationAttributes } from "sequelize";
import type { Business, Campaign, Models, SalesTarget } from "../src/models";
import { campaignNameKey } from "../src/models/Campaign";

let counter = 0;

/** A planned e-mail campaign of `business` in INR, owned by its owner; a unique name each time. */
export async function buildCampaign(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Campaign>> = {},
): Promise<Campaign> {
  counter += 1;
  const name = overrides.name ?? `Campaign ${counter}`;
  return models.Campaign.create({
    businessId: business.id,
    channel: "email",
    objective: null,
    audience: null,
    productLine: null,
    startsOn: null,
    endsOn: null,
    currency: "INR",
    budgetMinor: null,
    expectedSpendMinor: null,
    actualSpendMinor: null,
    plannedLeads: null,
    reportedLeads: null,
    ownerId: business.ownerId,
    createdById: business.ownerId,
    status: "planned",
    priority: "medium",
    compliance: null,
    externalId: null,
    utmCampaign: null,
    ...overrides,
    name,
    nameKey: campaignNameKey(name),
  });
}

/** A monthly target of a member of `business` from `month` (YYYY-MM), in INR. */
export async function buildSalesTarget(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<SalesTarget>> & { userId: number },
): Promise<SalesTarget> {
  return models.SalesTarget.create({
    businessId: business.id,
    month: "2026-01",
    amountMinor: 10_000_000,
    currency: "INR",
    ...overrides,
  });
}

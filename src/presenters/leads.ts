import type { Lead, User } from "../models";
import { temperatureOf, type LeadStage, type LeadTemperature } from "../models/Lead";

export const leadStageLabels: Record<LeadStage, string> = {
  new: "New",
  contacted: "Contacted",
  qualified: "Qualified",
  lost: "Lost",
  converted: "Converted",
};

export const temperatureLabels: Record<LeadTemperature, string> = {
  hot: "Hot",
  warm: "Warm",
  cold: "Cold",
};

export function productsOf(lead: Pick<Lead, "interestedProducts">): string[] {
  if (!lead.interestedProducts) return [];
  const parsed: unknown = JSON.parse(lead.interestedProducts);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** One lead as the API answers it and webhooks send it (routes/leads/schema.ts leadSchema). */
export function presentLead(lead: Lead, owner?: Pick<User, "id" | "name"> | null) {
  const who = owner === undefined ? (lead.owner ?? null) : owner;
  return {
    id: lead.id,
    firstName: lead.firstName,
    lastName: lead.lastName,
    company: lead.company,
    jobTitle: lead.jobTitle,
    email: lead.email,
    phone: lead.phoneE164,
    location: lead.location,
    industry: lead.industry,
    source: lead.source,
    campaignName: lead.campaignName,
    stage: lead.stage,
    score: lead.score,
    temperature: temperatureOf(lead.score),
    statusReason: lead.statusReason,
    ownerId: lead.ownerId,
    owner: who ? { id: who.id, name: who.name } : null,
    lastContactedAt: iso(lead.lastContactedAt),
    nextAction: lead.nextAction,
    nextActionOn: lead.nextActionOn,
    bantBudget: lead.bantBudget,
    bantAuthority: lead.bantAuthority,
    bantNeed: lead.bantNeed,
    bantTimeline: lead.bantTimeline,
    interestedProducts: productsOf(lead),
    consentEmail: lead.consentEmailAt !== null,
    consentEmailAt: iso(lead.consentEmailAt),
    consentWhatsapp: lead.consentWhatsappAt !== null,
    consentWhatsappAt: iso(lead.consentWhatsappAt),
    utmSource: lead.utmSource,
    utmMedium: lead.utmMedium,
    utmCampaign: lead.utmCampaign,
    utmTerm: lead.utmTerm,
    utmContent: lead.utmContent,
    referrer: lead.referrer,
    landingPage: lead.landingPage,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

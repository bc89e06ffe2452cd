import type { CampaignFilter } from "../commands/campaigns/list";
import type { CampaignResults } from "../commands/campaigns/results";
import { amountInput, formatMoney } from "../commands/deals/money";
import type { MemberChoice } from "../commands/members";
import { formatDate } from "../lib/dates";
import type { Campaign } from "../models";
import {
  campaignChannels,
  campaignPriorities,
  campaignStatuses,
  type CampaignChannel,
  type CampaignPriority,
  type CampaignStatus,
  type ComplianceItem,
} from "../models/Campaign";

export const channelLabels: Record<CampaignChannel, string> = {
  email: "E-mail",
  whatsapp: "WhatsApp",
  paid_ads: "Paid ads",
  event: "Event",
  webinar: "Webinar",
  referral: "Referral",
  social: "Social media",
  other: "Other",
};

export const statusLabels: Record<CampaignStatus, string> = {
  planned: "Planned",
  active: "Active",
  paused: "Paused",
  completed: "Completed",
};

const statusBadges: Record<CampaignStatus, string> = {
  planned: "text-bg-info",
  active: "text-bg-success",
  paused: "text-bg-warning",
  completed: "text-bg-secondary",
};

export const priorityLabels: Record<CampaignPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
};

export function complianceOf(campaign: Pick<Campaign, "compliance">): ComplianceItem[] {
  if (!campaign.compliance) return [];
  const parsed: unknown = JSON.parse(campaign.compliance);
  return Array.isArray(parsed)
    ? parsed.map((item: { label?: unknown; done?: unknown }) => ({
        label: String(item.label ?? ""),
        done: item.done === true,
      }))
    : [];
}

const person = (p: { id: number; name: string } | null | undefined) =>
  p ? { id: p.id, name: p.name } : null;

/** One campaign as the API answers it, with its computed results. */
export function presentCampaign(campaign: Campaign, results: CampaignResults) {
  return {
    id: campaign.id,
    name: campaign.name,
    objective: campaign.objective,
    channel: campaign.channel,
    audience: campaign.audience,
    productLine: campaign.productLine,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    currency: campaign.currency,
    budgetMinor: campaign.budgetMinor,
    expectedSpendMinor: campaign.expectedSpendMinor,
    actualSpendMinor: campaign.actualSpendMinor,
    plannedLeads: campaign.plannedLeads,
    reportedLeads: campaign.reportedLeads,
    ownerId: campaign.ownerId,
    owner: person(campaign.owner),
    teamIds: (campaign.members ?? []).map((m) => m.userId),
    status: campaign.status,
    priority: campaign.priority,
    compliance: complianceOf(campaign),
    externalId: campaign.externalId,
    utmCampaign: campaign.utmCampaign,
    results: {
      generatedLeads: results.leads,
      wonDeals: results.wonDeals,
      attributedRevenueMinor: results.revenueMinor,
      otherCurrencyWonDeals: results.otherCurrencyWonDeals,
      roi: results.roi,
      costPerLeadMinor: results.costPerLeadMinor,
    },
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

const money = (minor: number | null, currency: string) =>
  minor === null ? null : formatMoney(minor, currency);

/** "+150%", "−25%": a ratio as people read it; null stays null. */
export function formatRoi(roi: number | null): string | null {
  if (roi === null) return null;
  const percent = Math.round(roi * 1000) / 10;
  return `${percent > 0 ? "+" : percent < 0 ? "−" : ""}${Math.abs(percent)}%`;
}

function dates(campaign: Pick<Campaign, "startsOn" | "endsOn">): string | null {
  const { startsOn, endsOn } = campaign;
  if (startsOn && endsOn) return `${formatDate(startsOn)} – ${formatDate(endsOn)}`;
  if (startsOn) return `From ${formatDate(startsOn)}`;
  if (endsOn) return `Until ${formatDate(endsOn)}`;
  return null;
}

/** A campaign as a list row and the campaign page's details. */
export function presentCampaignRow(campaign: Campaign, results: CampaignResults) {
  const currency = campaign.currency;
  const compliance = complianceOf(campaign);
  return {
    id: campaign.id,
    name: campaign.name,
    objective: campaign.objective,
    channelLabel: channelLabels[campaign.channel],
    audience: campaign.audience,
    productLine: campaign.productLine,
    dates: dates(campaign),
    currency,
    budget: money(campaign.budgetMinor, currency),
    expectedSpend: money(campaign.expectedSpendMinor, currency),
    actualSpend: money(campaign.actualSpendMinor, currency),
    plannedLeads: campaign.plannedLeads,
    reportedLeads: campaign.reportedLeads,
    owner: person(campaign.owner),
    team: (campaign.members ?? []).map((m) => m.user?.name ?? `member ${m.userId}`).join(", "),
    status: campaign.status,
    statusLabel: statusLabels[campaign.status],
    statusBadge: statusBadges[campaign.status],
    priorityLabel: priorityLabels[campaign.priority],
    compliance,
    complianceDone: compliance.filter((item) => item.done).length,
    externalId: campaign.externalId,
    utmCampaign: campaign.utmCampaign,
    leads: results.leads,
    wonDeals: results.wonDeals,
    revenue: formatMoney(results.revenueMinor, currency),
    otherCurrencyWonDeals: results.otherCurrencyWonDeals,
    roi: formatRoi(results.roi),
    roiClass: results.roi === null ? "" : results.roi >= 0 ? "text-success" : "text-danger",
    costPerLead: money(results.costPerLeadMinor, currency),
  };
}

interface Option {
  value: string;
  label: string;
  selected?: boolean;
}

const options = <T extends string>(
  values: readonly T[],
  labels: Record<T, string>,
  chosen: unknown,
  blank?: string,
): Option[] => [
  ...(blank !== undefined ? [{ value: "", label: blank, selected: !chosen }] : []),
  ...values.map((value) => ({ value, label: labels[value], selected: value === chosen })),
];

/** The filter form's choices and values. */
export function campaignFilterView(filter: CampaignFilter, people: MemberChoice[]) {
  const owner = filter.ownerId === undefined ? "" : String(filter.ownerId);
  return {
    q: filter.q ?? "",
    statusOptions: options(campaignStatuses, statusLabels, filter.status, "Any status"),
    channelOptions: options(campaignChannels, channelLabels, filter.channel, "Any channel"),
    ownerOptions: [
      { value: "", label: "Anyone", selected: owner === "" },
      { value: "none", label: "Nobody", selected: owner === "none" },
      ...people.map((p) => ({
        value: String(p.id),
        label: p.name,
        selected: owner === String(p.id),
      })),
    ],
  };
}

/** The list's address with its filters (and a position) for paging links. */
export function campaignListUrl(filter: CampaignFilter & { before?: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const query = params.toString();
  return query ? `/campaigns?${query}` : "/campaigns";
}

/** A stored campaign as the form's values (money as the currency shows it). */
export function campaignFormValues(campaign: Campaign): Record<string, unknown> {
  const typed = (minor: number | null) =>
    minor === null ? "" : amountInput(minor, campaign.currency);
  const compliance = complianceOf(campaign);
  return {
    name: campaign.name,
    objective: campaign.objective ?? "",
    channel: campaign.channel,
    audience: campaign.audience ?? "",
    productLine: campaign.productLine ?? "",
    startsOn: campaign.startsOn ?? "",
    endsOn: campaign.endsOn ?? "",
    currency: campaign.currency,
    budget: typed(campaign.budgetMinor),
    expectedSpend: typed(campaign.expectedSpendMinor),
    actualSpend: typed(campaign.actualSpendMinor),
    plannedLeads: campaign.plannedLeads === null ? "" : String(campaign.plannedLeads),
    reportedLeads: campaign.reportedLeads === null ? "" : String(campaign.reportedLeads),
    ownerId: campaign.ownerId === null ? "" : String(campaign.ownerId),
    teamIds: (campaign.members ?? []).map((m) => String(m.userId)),
    status: campaign.status,
    priority: campaign.priority,
    complianceLabel: compliance.map((item) => item.label),
    complianceDone: compliance.flatMap((item, index) => (item.done ? [String(index)] : [])),
    externalId: campaign.externalId ?? "",
    utmCampaign: campaign.utmCampaign ?? "",
  };
}

const list = (value: unknown): string[] =>
  value === undefined || value === null ? [] : [value].flat().map(String);

/** The form's choices from its values (stored or as typed): selects, team boxes, checklist rows. */
export function campaignFormView(values: Record<string, unknown>, people: MemberChoice[]) {
  const team = new Set(list(values.teamIds));
  const labels = list(values.complianceLabel);
  const done = new Set(list(values.complianceDone));
  // The rows typed, then three empty ones to add more (no script needed).
  const rows = [...labels, "", "", ""].map((label, index) => ({
    index: String(index),
    label,
    done: done.has(String(index)) && label !== "",
    number: index + 1,
  }));
  return {
    channelOptions: options(campaignChannels, channelLabels, values.channel),
    statusOptions: options(campaignStatuses, statusLabels, values.status),
    priorityOptions: options(campaignPriorities, priorityLabels, values.priority),
    ownerOptions: [
      { value: "", label: "Nobody", selected: !values.ownerId },
      ...people.map((p) => ({
        value: String(p.id),
        label: p.name,
        selected: String(values.ownerId ?? "") === String(p.id),
      })),
    ],
    teamChoices: people.map((p) => ({ id: p.id, name: p.name, checked: team.has(String(p.id)) })),
    complianceRows: rows,
  };
}

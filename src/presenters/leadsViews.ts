import type { LeadFilter } from "../commands/leads/list";
import { formatDate, formatDateTime } from "../lib/dates";
import { formatPhone } from "../lib/phone";
import type { Lead, LeadEvent } from "../models";
import { leadStages, leadTemperatures, temperatureOf, type LeadStage } from "../models/Lead";
import { leadStageLabels, productsOf, temperatureLabels } from "./leads";

interface Option {
  value: string;
  label: string;
  selected?: boolean;
}

const stageBadges: Record<LeadStage, string> = {
  new: "text-bg-primary",
  contacted: "text-bg-info",
  qualified: "text-bg-success",
  lost: "text-bg-secondary",
  converted: "text-bg-dark",
};
export const temperatureBadges = {
  hot: "text-bg-danger",
  warm: "text-bg-warning",
  cold: "text-bg-light border",
};

export const fullName = (lead: Pick<Lead, "firstName" | "lastName">) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(" ");

/** The stages a lead can be moved to from `stage` (every other one). */
export function stageMoves(stage: LeadStage): Option[] {
  return leadStages
    .filter((s) => s !== stage)
    .map((s) => ({ value: s, label: leadStageLabels[s] }));
}

/** A lead as a list row, a Kanban card and the lead page's details. */
export function presentLeadRow(lead: Lead, timeZone: string) {
  const temperature = temperatureOf(lead.score);
  const flags = [
    lead.bantBudget ? "Budget" : null,
    lead.bantAuthority ? "Authority" : null,
    lead.bantNeed ? "Need" : null,
    lead.bantTimeline ? "Timeline" : null,
  ].filter((flag): flag is string => flag !== null);
  return {
    id: lead.id,
    name: fullName(lead),
    company: lead.company,
    jobTitle: lead.jobTitle,
    email: lead.email,
    phone: lead.phoneE164 ? formatPhone(lead.phoneE164) : null,
    phoneE164: lead.phoneE164,
    location: lead.location,
    industry: lead.industry,
    source: lead.source,
    campaignName: lead.campaignName,
    stage: lead.stage,
    stageLabel: leadStageLabels[lead.stage],
    stageBadge: stageBadges[lead.stage],
    score: lead.score,
    temperatureLabel: temperatureLabels[temperature],
    temperatureBadge: temperatureBadges[temperature],
    statusReason: lead.statusReason,
    owner: lead.owner ? { id: lead.owner.id, name: lead.owner.name } : null,
    lastContacted: lead.lastContactedAt ? formatDateTime(lead.lastContactedAt, timeZone) : null,
    nextAction: lead.nextAction,
    nextActionOn: lead.nextActionOn ? formatDate(lead.nextActionOn) : null,
    bant: flags.join(", "),
    products: productsOf(lead).join(", "),
    consentEmail: lead.consentEmailAt ? formatDateTime(lead.consentEmailAt, timeZone) : null,
    consentWhatsapp: lead.consentWhatsappAt
      ? formatDateTime(lead.consentWhatsappAt, timeZone)
      : null,
    utm: [
      ["utm_source", lead.utmSource],
      ["utm_medium", lead.utmMedium],
      ["utm_campaign", lead.utmCampaign],
      ["utm_term", lead.utmTerm],
      ["utm_content", lead.utmContent],
      ["Referrer", lead.referrer],
      ["Landing page", lead.landingPage],
    ]
      .filter(([, value]) => value)
      .map(([label, value]) => ({ label, value })),
    moveOptions: stageMoves(lead.stage),
  };
}

const eventTexts: Record<
  string,
  (details: Record<string, unknown>, names: Map<number, string>) => string
> = {
  created: (d) => `Lead created (${leadStageLabels[d.stage as LeadStage] ?? "New"})`,
  stage_changed: (d) =>
    `Stage ${leadStageLabels[d.from as LeadStage] ?? String(d.from)} → ${leadStageLabels[d.to as LeadStage] ?? String(d.to)}`,
  owner_changed: (d, names) => {
    const name = (id: unknown) =>
      typeof id === "number" ? (names.get(id) ?? `member ${id}`) : "nobody";
    return `Owner ${name(d.from)} → ${name(d.to)}`;
  },
  updated: (d) =>
    `Changed ${Object.keys((d.changes as Record<string, unknown> | undefined) ?? {}).join(", ")}`,
  form_submitted: (d) => `Sent the form ${typeof d.formTitle === "string" ? d.formTitle : ""}`,
};

export function presentLeadEvent(event: LeadEvent, timeZone: string, names: Map<number, string>) {
  const details = (event.details ? JSON.parse(event.details) : {}) as Record<string, unknown>;
  const text = eventTexts[event.kind]?.(details, names) ?? event.kind;
  return {
    kind: event.kind,
    text: event.actor ? `${text} by ${event.actor.name}` : text,
    timeLabel: formatDateTime(event.createdAt, timeZone),
  };
}

type ListFilter = LeadFilter & { before?: number };

/** The list's address with its filters (and a position), for paging links and the board's. */
export function leadListUrl(filter: ListFilter, path = "/leads"): string {
  const params = new URLSearchParams();
  if (filter.stage) params.set("stage", filter.stage);
  if (filter.temperature) params.set("temperature", filter.temperature);
  if (filter.ownerId !== undefined) params.set("ownerId", String(filter.ownerId));
  if (filter.source) params.set("source", filter.source);
  if (filter.q) params.set("q", filter.q);
  if (filter.before) params.set("before", String(filter.before));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The filter form's options, with the current choice selected. */
export function leadFilterView(filter: LeadFilter, owners: Array<{ id: number; name: string }>) {
  const owner = filter.ownerId === undefined ? "" : String(filter.ownerId);
  return {
    q: filter.q ?? "",
    source: filter.source ?? "",
    stageOptions: [
      { value: "", label: "Any stage", selected: !filter.stage },
      ...leadStages.map((s) => ({
        value: s,
        label: leadStageLabels[s],
        selected: s === filter.stage,
      })),
    ],
    temperatureOptions: [
      { value: "", label: "Any temperature", selected: !filter.temperature },
      ...leadTemperatures.map((t) => ({
        value: t,
        label: temperatureLabels[t],
        selected: t === filter.temperature,
      })),
    ],
    ownerOptions: [
      { value: "", label: "Anyone", selected: owner === "" },
      { value: "none", label: "Nobody", selected: owner === "none" },
      ...owners.map((o) => ({
        value: String(o.id),
        label: o.name,
        selected: String(o.id) === owner,
      })),
    ],
  };
}

/** The form's selects, with what was typed (or stored) selected. */
export function leadFormView(
  values: Record<string, unknown>,
  owners: Array<{ id: number; name: string }>,
  mayAssign: boolean,
) {
  const owner =
    values.ownerId === undefined || values.ownerId === null ? "" : String(values.ownerId);
  return {
    stageOptions: leadStages.map((s) => ({
      value: s,
      label: leadStageLabels[s],
      selected: s === (values.stage || "new"),
    })),
    ownerOptions: [
      { value: "", label: "Nobody", selected: owner === "" },
      // The next member in turn (/settings/lead-assignment); the creator when round-robin is off.
      { value: "auto", label: "Automatic (round-robin)", selected: owner === "auto" },
      ...owners.map((o) => ({
        value: String(o.id),
        label: o.name,
        selected: String(o.id) === owner,
      })),
    ],
    mayAssign,
  };
}

/** A stored lead as the edit form's values (checkboxes "on", lists comma-separated). */
export function leadFormValues(lead: Lead): Record<string, unknown> {
  const on = (flag: boolean) => (flag ? "on" : "");
  return {
    firstName: lead.firstName,
    lastName: lead.lastName ?? "",
    company: lead.company ?? "",
    jobTitle: lead.jobTitle ?? "",
    email: lead.email ?? "",
    phone: lead.phoneE164 ? formatPhone(lead.phoneE164) : "",
    location: lead.location ?? "",
    industry: lead.industry ?? "",
    source: lead.source ?? "",
    campaignName: lead.campaignName ?? "",
    stage: lead.stage,
    score: String(lead.score),
    statusReason: lead.statusReason ?? "",
    ownerId: lead.ownerId ?? "",
    lastContactedAt: lead.lastContactedAt ? lead.lastContactedAt.toISOString().slice(0, 10) : "",
    nextAction: lead.nextAction ?? "",
    nextActionOn: lead.nextActionOn ?? "",
    bantBudget: on(lead.bantBudget),
    bantAuthority: on(lead.bantAuthority),
    bantNeed: on(lead.bantNeed),
    bantTimeline: on(lead.bantTimeline),
    interestedProducts: productsOf(lead).join(", "),
    consentEmail: on(lead.consentEmailAt !== null),
    consentWhatsapp: on(lead.consentWhatsappAt !== null),
    utmSource: lead.utmSource ?? "",
    utmMedium: lead.utmMedium ?? "",
    utmCampaign: lead.utmCampaign ?? "",
    utmTerm: lead.utmTerm ?? "",
    utmContent: lead.utmContent ?? "",
    referrer: lead.referrer ?? "",
    landingPage: lead.landingPage ?? "",
  };
}

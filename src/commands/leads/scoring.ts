import { Op, fn, col, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Lead, ScoringOperator, ScoringSubject } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";

/**
 * Lead scoring (issue 12, item 3): every rule of the business whose condition holds adds its
 * points (negative ones subtract); the sum is clamped to 0–100. A score set by hand
 * (leads.score_override) wins while it is set. A business without rules keeps the scores typed on
 * the lead form: the rules own the score only once there is at least one.
 */
export interface ScoringRuleSpec {
  subject: ScoringSubject;
  field: string | null;
  operator: ScoringOperator;
  value: string | null;
  points: number;
}

/** Lead fields a "field" rule may test, with the label the settings page shows. */
export const scorableFields = {
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  jobTitle: "Job title",
  email: "E-mail",
  phoneE164: "Phone",
  location: "Location",
  industry: "Industry",
  stage: "Stage",
  statusReason: "Status reason",
  nextAction: "Next action",
  bantBudget: "Budget confirmed",
  bantAuthority: "Authority confirmed",
  bantNeed: "Need confirmed",
  bantTimeline: "Timeline confirmed",
  interestedProducts: "Interested products",
  consentEmailAt: "E-mail consent",
  consentWhatsappAt: "WhatsApp consent",
  utmSource: "UTM source",
  utmMedium: "UTM medium",
  utmCampaign: "UTM campaign",
  utmTerm: "UTM term",
  utmContent: "UTM content",
  referrer: "Referrer",
  landingPage: "Landing page",
} as const;
export type ScorableField = keyof typeof scorableFields;

/** What a rule is tested against, gathered once per lead. */
export interface ScoringFacts {
  lead: Pick<Lead, ScorableField | "source" | "campaignName">;
  /** Form answers keyed by field key (leads.answers). */
  answers: Record<string, unknown>;
  /** Number of lead events per kind. */
  eventCounts: Record<string, number>;
}

export const minScore = 0;
export const maxScore = 100;

const clamp = (n: number) => Math.min(maxScore, Math.max(minScore, n));

/** A stored value as the texts a rule compares with: arrays (checkboxes, products) give each item. */
function textsOf(value: unknown): string[] {
  if (value === null || value === undefined || value === false || value === "") return [];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value instanceof Date) return [value.toISOString()];
  if (value === true) return ["yes"];
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.flatMap(textsOf);
    } catch {
      // Not JSON: compared as the text it is.
    }
  }
  return [String(value).trim()].filter((t) => t !== "");
}

function holds(operator: ScoringOperator, texts: string[], wanted: string | null): boolean {
  const want = (wanted ?? "").trim().toLowerCase();
  switch (operator) {
    case "is_set":
      return texts.length > 0;
    case "equals":
      return texts.some((t) => t.toLowerCase() === want);
    case "contains":
      return want !== "" && texts.some((t) => t.toLowerCase().includes(want));
    case "greater_than": {
      const limit = Number(want);
      if (want === "" || !Number.isFinite(limit)) return false;
      return texts.some((t) => t !== "" && Number.isFinite(Number(t)) && Number(t) > limit);
    }
  }
}

/** The event kinds an engagement rule counts ("form_submitted, replied"). */
export function kindsOf(field: string | null): string[] {
  return (field ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
}

/** Whether one rule's condition holds for the lead. */
export function ruleMatches(rule: ScoringRuleSpec, facts: ScoringFacts): boolean {
  switch (rule.subject) {
    case "source":
      return holds(rule.operator, textsOf(facts.lead.source), rule.value);
    case "campaign":
      // The campaign as typed or as tagged by a form's UTM: the same match the campaigns use.
      return holds(
        rule.operator,
        [...textsOf(facts.lead.campaignName), ...textsOf(facts.lead.utmCampaign)],
        rule.value,
      );
    case "field": {
      if (!rule.field || !(rule.field in scorableFields)) return false;
      const value = facts.lead[rule.field as ScorableField];
      return holds(rule.operator, textsOf(value), rule.value);
    }
    case "answer":
      return holds(rule.operator, textsOf(facts.answers[rule.field ?? ""]), rule.value);
    case "engagement": {
      const count = kindsOf(rule.field).reduce((n, k) => n + (facts.eventCounts[k] ?? 0), 0);
      // "Is set" means at least once; equals and greater than compare the number.
      if (rule.operator === "is_set") return count > 0;
      return holds(rule.operator, [String(count)], rule.value);
    }
  }
}

/** The rules' score for a lead: matching rules' points added up, clamped to 0–100. */
export function scoreByRules(rules: ScoringRuleSpec[], facts: ScoringFacts): number {
  return clamp(rules.reduce((sum, rule) => sum + (ruleMatches(rule, facts) ? rule.points : 0), 0));
}

/** leads.answers as an object; anything unreadable counts as no answers. */
export function answersOf(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

type ScoringDeps = Pick<Deps, "models">;

export async function loadScoringRules(
  deps: ScoringDeps,
  businessId: number,
  transaction?: Transaction,
): Promise<ScoringRuleSpec[]> {
  const { LeadScoringRule } = deps.models;
  return LeadScoringRule.findAll({
    where: tenantWhere(businessScope(businessId), LeadScoringRule),
    order: [
      ["position", "ASC"],
      ["id", "ASC"],
    ],
    transaction,
  });
}

/** Event counts per lead and kind, for the kinds engagement rules count (one grouped query). */
async function eventCountsOf(
  deps: ScoringDeps,
  businessId: number,
  leadIds: number[],
  rules: ScoringRuleSpec[],
  transaction?: Transaction,
): Promise<Map<number, Record<string, number>>> {
  const kinds = [
    ...new Set(rules.filter((r) => r.subject === "engagement").flatMap((r) => kindsOf(r.field))),
  ];
  const counts = new Map<number, Record<string, number>>();
  if (kinds.length === 0 || leadIds.length === 0) return counts;
  const { LeadEvent } = deps.models;
  const rows = (await LeadEvent.findAll({
    attributes: ["leadId", "kind", [fn("COUNT", col("id")), "count"]],
    where: tenantWhere(businessScope(businessId), LeadEvent, {
      leadId: { [Op.in]: leadIds },
      kind: { [Op.in]: kinds },
    }),
    group: ["leadId", "kind"],
    raw: true,
    transaction,
  })) as unknown as { leadId: number; kind: string; count: number | string }[];
  for (const row of rows) {
    const entry = counts.get(row.leadId) ?? {};
    entry[row.kind] = Number(row.count);
    counts.set(row.leadId, entry);
  }
  return counts;
}

/**
 * The score each lead should have: its override when set, else what the rules say. Returns the
 * rules' score too (the lead page shows "set by hand (rules say N)").
 */
export async function scoresOf(
  deps: ScoringDeps,
  businessId: number,
  leads: Lead[],
  rules: ScoringRuleSpec[],
  transaction?: Transaction,
): Promise<Map<number, { byRules: number; score: number }>> {
  const counts = await eventCountsOf(
    deps,
    businessId,
    leads.map((l) => l.id),
    rules,
    transaction,
  );
  const scores = new Map<number, { byRules: number; score: number }>();
  for (const lead of leads) {
    const byRules = scoreByRules(rules, {
      lead,
      answers: answersOf(lead.answers),
      eventCounts: counts.get(lead.id) ?? {},
    });
    scores.set(lead.id, { byRules, score: lead.scoreOverride ?? byRules });
  }
  return scores;
}

/**
 * Recomputes one lead's score from the business's rules and stores it when it changed; returns
 * the stored score (null when the lead is not in the business). Called by createLead/updateLead
 * inside their transaction, and by whoever changes what rules read (answers, events). Without
 * rules the score is left as typed, unless an override is set.
 */
export async function recomputeLeadScore(
  deps: ScoringDeps,
  businessId: number,
  leadOrId: number | Lead,
  transaction?: Transaction,
): Promise<number | null> {
  const { Lead } = deps.models;
  // A lead this transaction has just read or written needs no second read.
  const lead =
    typeof leadOrId === "number"
      ? await Lead.findOne({
          where: tenantWhere(businessScope(businessId), Lead, { id: leadOrId }),
          transaction,
        })
      : leadOrId;
  if (!lead) return null;
  const rules = await loadScoringRules(deps, businessId, transaction);
  if (rules.length === 0 && lead.scoreOverride === null) return lead.score;
  const { score } = (await scoresOf(deps, businessId, [lead], rules, transaction)).get(lead.id)!;
  const wanted = rules.length === 0 ? (lead.scoreOverride ?? lead.score) : score;
  if (wanted !== lead.score) await lead.update({ score: wanted }, { transaction, silent: true });
  return wanted;
}

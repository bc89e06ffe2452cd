import { Op } from "sequelize";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Lead, LeadScoringRule } from "../../models";
import { scoringOperators, scoringSubjects } from "../../models/LeadSettings";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { kindsOf, loadScoringRules, recomputeLeadScore, scorableFields, scoresOf } from "./scoring";

/**
 * Editing the scoring rules (settings page /settings/lead-scoring) and a lead's score by hand.
 * Rules are the sales process's settings: owners, admins and managers ("pipelines.manage", the
 * same people who shape the pipelines). Every change queues one recompute of the whole business.
 */
export const scoringSettingsAction = "pipelines.manage" as const;

export const maxRules = 100;
const pointsLimit = 100;

export const ruleMessages = {
  subject: "Choose what the rule looks at.",
  operator: "Choose a condition.",
  field: "Choose the lead field.",
  answer: "Enter the form field's key (as in the form builder).",
  kinds: "Enter the timeline event kinds to count, e.g. form_submitted, replied.",
  value: "Enter the value to compare with.",
  number: "Enter a number to compare with.",
  points: `Enter whole points between -${pointsLimit} and ${pointsLimit}.`,
};

const pointsShape = z.coerce
  .number({ error: ruleMessages.points })
  .int({ error: ruleMessages.points })
  .min(-pointsLimit, { error: ruleMessages.points })
  .max(pointsLimit, { error: ruleMessages.points });

export interface RuleInput {
  subject: LeadScoringRule["subject"];
  operator: LeadScoringRule["operator"];
  field: string | null;
  value: string | null;
  points: number;
}

const textOf = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" && typeof value !== "number") return null;
  const text = String(value).trim();
  return text === "" ? null : text;
};

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T =>
  value !== null && (list as readonly string[]).includes(value);

/** Checks a submitted rule; every field's problem at once (AppError validation). */
export function parseRule(raw: unknown): RuleInput {
  const body = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const subject = textOf(body.subject);
  const operator = textOf(body.operator);
  const field = textOf(body.field);
  const value = textOf(body.value);
  if (!isOneOf(scoringSubjects, subject)) errors.subject = ruleMessages.subject;
  if (!isOneOf(scoringOperators, operator)) errors.operator = ruleMessages.operator;
  const points = pointsShape.safeParse(textOf(body.points) ?? "");
  if (!points.success || textOf(body.points) === null) errors.points = ruleMessages.points;
  if (field && field.length > 100) errors.field = "Keep it to 100 characters.";
  if (value && value.length > 200) errors.value = "Keep the value to 200 characters.";
  if (subject === "field" && (!field || !(field in scorableFields)))
    errors.field = ruleMessages.field;
  if (subject === "answer" && (!field || !/^[A-Za-z0-9_.-]{1,100}$/.test(field)))
    errors.field = ruleMessages.answer;
  if (subject === "engagement") {
    if (kindsOf(field).length === 0 || kindsOf(field).some((k) => !/^[a-z_]{1,32}$/.test(k)))
      errors.field = ruleMessages.kinds;
    if (operator === "contains")
      errors.operator = "Count events with is set, equals or greater than.";
  }
  if (operator === "greater_than" || (subject === "engagement" && operator === "equals")) {
    if (value === null || !Number.isFinite(Number(value))) errors.value = ruleMessages.number;
  } else if (operator !== "is_set" && operator !== null && value === null)
    errors.value ??= ruleMessages.value;
  if (Object.keys(errors).length || !isOneOf(scoringSubjects, subject) || !points.success)
    throw AppError.validation(errors);
  const keeps = subject === "field" || subject === "answer" || subject === "engagement";
  return {
    subject,
    operator: operator as RuleInput["operator"],
    // Only the subjects that name something keep a field; "is set" needs no value.
    field: keeps ? field : null,
    value: operator === "is_set" ? null : value,
    points: points.data,
  };
}

export async function listScoringRules(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<LeadScoringRule[]> {
  authorize(ctx, scoringSettingsAction);
  return (await loadScoringRules(deps, ctx.business.id)) as LeadScoringRule[];
}

/** Queues the whole business's recompute after a rule change (after the change committed). */
async function queueRecompute(deps: Pick<Deps, "jobs" | "clock">, ctx: TenantContext) {
  await deps.jobs.dispatch(
    "recompute-lead-scores",
    { businessId: ctx.business.id, userId: null },
    { jobId: `lead-scores-${ctx.business.id}-${deps.clock.nowMs()}` },
  );
}

async function findRule(deps: Pick<Deps, "models">, ctx: TenantContext, ruleId: number) {
  const { LeadScoringRule } = deps.models;
  const rule = await LeadScoringRule.findOne({
    where: tenantWhere(ctx, LeadScoringRule, { id: ruleId }),
  });
  if (!rule) throw AppError.notFound("This scoring rule no longer exists.");
  return rule;
}

type RuleDeps = Pick<Deps, "models" | "jobs" | "clock">;

export async function createScoringRule(
  deps: RuleDeps,
  ctx: TenantContext,
  body: unknown,
): Promise<LeadScoringRule> {
  authorize(ctx, scoringSettingsAction);
  const input = parseRule(body);
  const { LeadScoringRule } = deps.models;
  const count = await LeadScoringRule.count({ where: tenantWhere(ctx, LeadScoringRule) });
  if (count >= maxRules)
    throw new AppError("conflict", `A business keeps up to ${maxRules} rules. Remove one first.`);
  const now = deps.clock.now();
  const rule = await LeadScoringRule.create({
    businessId: ctx.business.id,
    ...input,
    position: count,
    createdAt: now,
    updatedAt: now,
  });
  await queueRecompute(deps, ctx);
  return rule;
}

export async function updateScoringRule(
  deps: RuleDeps,
  ctx: TenantContext,
  ruleId: number,
  body: unknown,
): Promise<LeadScoringRule> {
  authorize(ctx, scoringSettingsAction);
  const input = parseRule(body);
  const rule = await findRule(deps, ctx, ruleId);
  await rule.update({ ...input, updatedAt: deps.clock.now() });
  await queueRecompute(deps, ctx);
  return rule;
}

export async function deleteScoringRule(
  deps: RuleDeps,
  ctx: TenantContext,
  ruleId: number,
): Promise<void> {
  authorize(ctx, scoringSettingsAction);
  const rule = await findRule(deps, ctx, ruleId);
  await rule.destroy();
  await queueRecompute(deps, ctx);
}

/**
 * Recomputes every lead of the business in id batches (keyset: id > last), each batch in its own
 * short transaction writing only the scores that changed. Running it twice changes nothing the
 * second time, so a retried or duplicated job is harmless. Returns how many scores changed.
 */
export async function recomputeBusinessScores(
  deps: Pick<Deps, "models" | "sequelize">,
  businessId: number,
  { batchSize = 500, leadIds }: { batchSize?: number; leadIds?: readonly number[] } = {},
): Promise<number> {
  const { Lead } = deps.models;
  const scope = businessScope(businessId);
  const rules = await loadScoringRules(deps, businessId);
  // No rules: scores stay as typed (or as set by hand); there is nothing to apply.
  if (rules.length === 0) return 0;
  let afterId = 0;
  let changed = 0;
  for (;;) {
    const size = await deps.sequelize.transaction(async (transaction) => {
      // Locked while scored, so a lead saved meanwhile keeps the score its own save computed.
      const batch = await Lead.findAll({
        where: tenantWhere(scope, Lead, {
          [Op.and]: [
            { id: { [Op.gt]: afterId } },
            ...(leadIds ? [{ id: { [Op.in]: [...leadIds] } }] : []),
          ],
        }),
        order: [["id", "ASC"]],
        limit: batchSize,
        lock: transaction.LOCK.UPDATE,
        transaction,
      });
      if (batch.length === 0) return 0;
      afterId = batch[batch.length - 1]!.id;
      const scores = await scoresOf(deps, businessId, batch, rules, transaction);
      const byScore = new Map<number, number[]>();
      for (const lead of batch) {
        const { score } = scores.get(lead.id)!;
        if (score === lead.score) continue;
        byScore.set(score, [...(byScore.get(score) ?? []), lead.id]);
      }
      for (const [score, ids] of byScore) {
        await Lead.update(
          { score },
          { where: tenantWhere(scope, Lead, { id: { [Op.in]: ids } }), transaction, silent: true },
        );
        changed += ids.length;
      }
      return batch.length;
    });
    if (size < batchSize) return changed;
  }
}

export const overrideMessage = "Enter a whole score between 0 and 100, or leave it empty to clear.";

/**
 * Sets (a number 0–100) or clears (null) the lead's score set by hand, with an "updated" timeline
 * entry; the score becomes the override, or what the rules say once cleared.
 */
export async function setScoreOverride(
  deps: Pick<Deps, "models" | "sequelize" | "clock">,
  ctx: TenantContext,
  lead: Lead,
  raw: unknown,
): Promise<Lead> {
  authorize(ctx, "leads.manage");
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : raw;
  if (text !== "" && text !== null && text !== undefined && typeof text !== "string")
    throw AppError.validation({ scoreOverride: overrideMessage });
  const value = text === "" || text === null || text === undefined ? null : Number(text);
  if (value !== null && (!Number.isInteger(value) || value < 0 || value > 100))
    throw AppError.validation({ scoreOverride: overrideMessage });
  if (value === lead.scoreOverride) return lead;
  await deps.sequelize.transaction(async (transaction) => {
    const from = lead.scoreOverride;
    await lead.update({ scoreOverride: value, updatedAt: deps.clock.now() }, { transaction });
    await deps.models.LeadEvent.create(
      {
        businessId: ctx.business.id,
        leadId: lead.id,
        actorId: ctx.system ? null : ctx.user.id,
        kind: "updated",
        details: JSON.stringify({ changes: { scoreOverride: [from, value] } }),
        createdAt: deps.clock.now(),
      },
      { transaction },
    );
    await recomputeLeadScore(deps, ctx.business.id, lead.id, transaction);
  });
  return lead.reload();
}

/** What the lead page shows of the score: the score, whether set by hand, what the rules say. */
export async function leadScoreView(
  deps: Pick<Deps, "models">,
  lead: Lead,
): Promise<{
  score: number;
  overridden: boolean;
  /** The hand-set score for the form, "" when none. */
  override: string;
  byRules: number | null;
  hasRules: boolean;
}> {
  const rules = await loadScoringRules(deps, lead.businessId);
  const byRules = rules.length
    ? (await scoresOf(deps, lead.businessId, [lead], rules)).get(lead.id)!.byRules
    : null;
  return {
    score: lead.score,
    overridden: lead.scoreOverride !== null,
    override: lead.scoreOverride === null ? "" : String(lead.scoreOverride),
    byRules,
    hasRules: rules.length > 0,
  };
}

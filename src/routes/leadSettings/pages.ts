import type { Request, Response } from "express";
import { loadLead as findLead } from "../../commands/leads/list";
import {
  assignmentSettings,
  parseAssignment,
  saveAssignmentSettings,
} from "../../commands/leads/roundRobinSettings";
import { scorableFields } from "../../commands/leads/scoring";
import {
  createScoringRule,
  deleteScoringRule,
  listScoringRules,
  maxRules,
  setScoreOverride,
  updateScoringRule,
} from "../../commands/leads/scoringRules";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { Lead, LeadScoringRule, ScoringOperator, ScoringSubject } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type {
  assignmentFormSchema,
  confirmedSchema,
  overrideFormSchema,
  ruleFormSchema,
  ruleParams,
  scoreParams,
} from "./schema";

const base = "/settings/lead-scoring";
const assignmentBase = "/settings/lead-assignment";

const subjectLabels: Record<ScoringSubject, string> = {
  field: "Lead field",
  source: "Source",
  campaign: "Campaign",
  answer: "Form answer",
  engagement: "Engagement (timeline events)",
};

const operatorLabels: Record<ScoringOperator, string> = {
  equals: "equals",
  contains: "contains",
  is_set: "is set",
  greater_than: "is greater than",
};

type RuleValues = Record<
  "subject" | "field" | "fieldKey" | "operator" | "value" | "points",
  string
>;

const keyed = (subject: string) => subject === "answer" || subject === "engagement";

/** One line a person reads: "If Source equals “Website”: +30 points". */
function describeRule(rule: LeadScoringRule) {
  const what =
    rule.subject === "field"
      ? (scorableFields[rule.field as keyof typeof scorableFields] ?? rule.field)
      : rule.subject === "answer"
        ? `Form answer “${rule.field}”`
        : rule.subject === "engagement"
          ? `Number of “${rule.field}” events`
          : subjectLabels[rule.subject];
  const condition =
    rule.operator === "is_set"
      ? `${what} ${rule.subject === "engagement" ? "is at least 1" : "is set"}`
      : `${what} ${operatorLabels[rule.operator]} “${rule.value}”`;
  return {
    id: rule.id,
    condition,
    points: rule.points > 0 ? `+${rule.points}` : String(rule.points),
    negative: rule.points < 0,
  };
}

function choices<T extends string>(labels: Record<T, string>, selected: string) {
  return (Object.keys(labels) as T[]).map((value) => ({
    value,
    label: labels[value],
    selected: value === selected,
  }));
}

function formView(values: RuleValues) {
  return {
    values,
    subjectOptions: choices(subjectLabels, values.subject),
    operatorOptions: choices(operatorLabels, values.operator),
    fieldOptions: [
      { value: "", label: "— the field (for “Lead field”) —", selected: values.field === "" },
      ...Object.entries(scorableFields).map(([value, label]) => ({
        value,
        label,
        selected: value === values.field,
      })),
    ],
  };
}

const emptyRule: RuleValues = {
  subject: "source",
  field: "",
  fieldKey: "",
  operator: "equals",
  value: "",
  points: "10",
};

async function renderRules(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  state: { values?: RuleValues; errors?: Record<string, string>; status?: number } = {},
) {
  const rules = await listScoringRules(deps, ctx);
  res.status(state.status ?? 200).render("leadSettings/scoring", {
    title: "Lead scoring",
    csrfToken: csrfToken(req),
    rules: rules.map(describeRule),
    full: rules.length >= maxRules,
    maxRules,
    errors: state.errors ?? {},
    ...formView(state.values ?? emptyRule),
  });
}

const asValues = (values: Record<string, unknown>): RuleValues => ({
  subject: String(values.subject ?? ""),
  field: String(values.field ?? ""),
  fieldKey: String(values.fieldKey ?? ""),
  operator: String(values.operator ?? ""),
  value: String(values.value ?? ""),
  points: String(values.points ?? ""),
});

/** GET /settings/lead-scoring: the rules and a form to add one. */
export async function showRules({ req, res, deps, ctx }: PageCall) {
  await renderRules(req, res, deps, ctx);
}

export async function loadRule({ deps, ctx, params }: LoadCall<TenantContext, { ruleId: number }>) {
  const { LeadScoringRule } = deps.models;
  const rule = await LeadScoringRule.findOne({
    where: tenantWhere(ctx, LeadScoringRule, { id: params.ruleId }),
  });
  if (!rule) throw AppError.notFound("This scoring rule no longer exists.");
  return rule;
}

type RuleBody = { body: typeof ruleFormSchema };
type OneRule = { params: typeof ruleParams; record: LeadScoringRule };

/** A rule that did not save comes back as typed, each field's error beside it. */
export async function renderRuleFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: LeadScoringRule | undefined }>,
  failure: FormFailure,
) {
  const values = asValues(failure.values);
  // The answer key and event kinds are typed in their own box: the message goes beside it.
  const { field, ...others } = failure.errors;
  const errors = field && keyed(values.subject) ? { ...others, fieldKey: field } : failure.errors;
  if (record) return renderEdit(req, res, record, values, errors, failure.status);
  await renderRules(req, res, deps, ctx, { values, errors, status: failure.status });
}

/** POST /settings/lead-scoring */
export async function addRule({ deps, ctx, body }: PageCall<RuleBody>) {
  await createScoringRule(deps, ctx, body);
  return redirect(base, "Rule added. Every lead's score is being recomputed.");
}

function renderEdit(
  req: Request,
  res: Response,
  rule: LeadScoringRule,
  values: RuleValues,
  errors: Record<string, string> = {},
  status = 200,
) {
  res.status(status).render("leadSettings/rule", {
    title: "Edit scoring rule",
    csrfToken: csrfToken(req),
    rule: describeRule(rule),
    errors,
    ...formView(values),
  });
}

/** GET /settings/lead-scoring/:ruleId/edit */
export function showEditRule({ req, res, record: rule }: PageCall<OneRule>) {
  renderEdit(req, res, rule, {
    subject: rule.subject,
    field: keyed(rule.subject) ? "" : (rule.field ?? ""),
    fieldKey: keyed(rule.subject) ? (rule.field ?? "") : "",
    operator: rule.operator,
    value: rule.value ?? "",
    points: String(rule.points),
  });
}

/** POST /settings/lead-scoring/:ruleId */
export async function saveRule({ deps, ctx, body, record: rule }: PageCall<OneRule & RuleBody>) {
  await updateScoringRule(deps, ctx, rule.id, body);
  return redirect(base, "Rule saved. Every lead's score is being recomputed.");
}

/** GET /settings/lead-scoring/:ruleId/delete: the confirmation. */
export function confirmRemoveRule({ req, res, record: rule }: PageCall<OneRule>) {
  res.render("leadSettings/confirm", {
    title: "Remove this scoring rule?",
    csrfToken: csrfToken(req),
    rule: describeRule(rule),
    action: `${base}/${rule.id}/delete`,
    back: base,
  });
}

/** POST /settings/lead-scoring/:ruleId/delete (from its confirmation page) */
export async function removeRule({
  deps,
  ctx,
  record: rule,
}: PageCall<OneRule & { body: typeof confirmedSchema }>) {
  await deleteScoringRule(deps, ctx, rule.id);
  return redirect(base, "Rule removed. Every lead's score is being recomputed.");
}

/** GET /settings/lead-assignment: round-robin on/off and who takes turns. */
export async function showAssignment({ req, res, deps, ctx }: PageCall) {
  await renderAssignment(req, res, deps, ctx);
}

async function renderAssignment(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  state: { errors?: Record<string, string>; status?: number } = {},
) {
  const view = await assignmentSettings(deps, ctx);
  res.status(state.status ?? 200).render("leadSettings/assignment", {
    title: "Lead assignment",
    csrfToken: csrfToken(req),
    ...view,
    errors: state.errors ?? {},
  });
}

export async function renderAssignmentFailure(
  { req, res, deps, ctx }: PageFormCall,
  failure: FormFailure,
) {
  await renderAssignment(req, res, deps, ctx, { errors: failure.errors, status: failure.status });
}

/** POST /settings/lead-assignment */
export async function saveAssignment({
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof assignmentFormSchema }>) {
  const input = parseAssignment(body);
  await saveAssignmentSettings(deps, ctx, input);
  return redirect(
    assignmentBase,
    input.enabled
      ? "Saved. New leads set to Automatic go to the next member in turn."
      : "Saved. Round-robin is off.",
  );
}

type OneLead = { params: typeof scoreParams; record: Lead };

/** The lead a path names (404 in another business, or a colleague's for sales). */
export function loadScoredLead({ deps, ctx, params }: LoadCall<TenantContext, { leadId: number }>) {
  return findLead(deps, ctx, params.leadId);
}

export function scoreBack({ record }: PageFormCall<{ record: Lead }>) {
  return `/leads/${record.id}`;
}

/** POST /leads/:leadId/score: set (0–100) or clear (empty) the score set by hand. */
export async function setOverride({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: typeof overrideFormSchema }>) {
  await setScoreOverride(deps, ctx, lead, body.scoreOverride);
  return redirect(
    `/leads/${lead.id}`,
    lead.scoreOverride === null
      ? "Score set by hand cleared: the scoring rules set it again."
      : `Score set by hand to ${lead.scoreOverride}.`,
  );
}

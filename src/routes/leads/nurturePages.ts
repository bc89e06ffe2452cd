import type { Request, Response } from "express";
import {
  defaultSequence,
  maxNurtureSteps,
  newRunKey,
  nurtureDueAt,
  nurtureKinds,
  nurtureTargets,
  runNurture,
  checkSteps,
  type NurtureStep,
} from "../../commands/leads/nurture";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { formatDateTime } from "../../lib/dates";
import { csrfToken } from "../../middleware/csrf";
import { fullName } from "../../presenters/leadsViews";
import type { TenantContext } from "../../tenancy/context";
import type { nurtureRunSchema, nurtureSelectSchema } from "./workSchema";

type Deps = PageCall["deps"];

const kindLabels: Record<string, string> = {
  call: "Call",
  email: "E-mail",
  whatsapp: "WhatsApp",
  meeting: "Meeting",
};

/** The sequence editor's rows: the steps, then empty rows up to the maximum. */
function stepRows(steps: ReadonlyArray<{ day: string; kind: string; title: string }>) {
  const rows = [...steps];
  while (rows.length < Math.min(maxNurtureSteps, Math.max(steps.length + 2, 5)))
    rows.push({ day: "", kind: "call", title: "" });
  return rows.map((row, index) => ({
    index,
    number: index + 1,
    ...row,
    kindOptions: nurtureKinds.map((kind) => ({
      value: kind,
      label: kindLabels[kind],
      selected: kind === row.kind,
    })),
  }));
}

async function renderSequence(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  leadIds: number[],
  rows: ReadonlyArray<{ day: string; kind: string; title: string }>,
  error?: string,
) {
  const targets = await nurtureTargets(deps, ctx, leadIds);
  res.status(error ? 422 : 200).render("leads/nurture", {
    title: "Plan follow-ups",
    csrfToken: csrfToken(req),
    error,
    leads: targets.map(({ lead }) => ({
      id: lead.id,
      name: fullName(lead),
      owner: lead.owner?.name ?? null,
    })),
    rows: stepRows(rows),
    timeZone: ctx.business.timeZone,
  });
}

const asRows = (steps: readonly NurtureStep[]) =>
  steps.map((s) => ({ day: String(s.day), kind: s.kind, title: s.title }));

/** GET /leads/nurture?leadIds=…: the chosen leads and the sequence (the default one to start). */
export function showNurture({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof nurtureSelectSchema }>) {
  return renderSequence(req, res, deps, ctx, query.leadIds, asRows(defaultSequence));
}

export function nurtureBack(): string {
  return "/leads";
}

/** A sequence that does not parse comes back with the rows as typed. */
export async function renderNurtureFailure(
  { req, res, deps, ctx }: PageFormCall,
  failure: FormFailure,
) {
  const raw = failure.values;
  const list = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
  const ids = list(raw.leadIds)
    .filter((id) => /^\d{1,10}$/.test(id))
    .map(Number);
  if (ids.length === 0) return res.redirect(303, "/leads");
  const days = list(raw.stepDay);
  const kinds = list(raw.stepKind);
  const titles = list(raw.stepTitle);
  const rows = days.map((day, i) => ({ day, kind: kinds[i] ?? "call", title: titles[i] ?? "" }));
  const message = Object.values(failure.errors)[0] ?? failure.error.message;
  await renderSequence(req, res, deps, ctx, ids, rows, message);
}

/**
 * POST /leads/nurture: without `confirm`, the confirmation (how many tasks for whom, each due
 * date); with it, the run (idempotent per run key), then back to the list.
 */
export async function postNurture({
  req,
  res,
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof nurtureRunSchema }>) {
  if (body.confirm === "yes" && body.runKey) {
    const result = await runNurture(deps, ctx, body.runKey, body.leadIds, body.steps);
    const again = result.skipped > 0 ? ` (${result.skipped} already planned by this run)` : "";
    return redirect(
      "/tasks",
      `${result.created} follow-up task(s) created for ${result.leads} lead(s)${again}.`,
    );
  }
  const steps = checkSteps(body.steps);
  const targets = await nurtureTargets(deps, ctx, body.leadIds);
  const members = await deps.models.User.findAll({
    where: { id: [...new Set(targets.map((t) => t.assigneeId).filter((id) => id !== null))] },
    attributes: ["id", "name"],
  });
  const names = new Map(members.map((m) => [m.id, m.name]));
  const perMember = new Map<string, number>();
  for (const target of targets) {
    const who = target.assigneeId === null ? "Nobody" : (names.get(target.assigneeId) ?? "—");
    perMember.set(who, (perMember.get(who) ?? 0) + steps.length);
  }
  const now = deps.clock.now();
  const zone = ctx.business.timeZone;
  res.render("leads/nurture-confirm", {
    title: "Confirm follow-ups",
    csrfToken: csrfToken(req),
    total: targets.length * steps.length,
    leadCount: targets.length,
    perMember: [...perMember].map(([name, count]) => ({ name, count })),
    steps: steps.map((s) => ({
      ...s,
      kindLabel: kindLabels[s.kind],
      due: formatDateTime(nurtureDueAt(now, zone, s.day), zone),
    })),
    leads: targets.map((t) => ({
      id: t.lead.id,
      name: fullName(t.lead),
      assignee: t.assigneeId === null ? null : (names.get(t.assigneeId) ?? null),
    })),
    runKey: newRunKey(),
    timeZone: zone,
  });
}

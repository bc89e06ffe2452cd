import { randomBytes } from "node:crypto";
import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import { addDays, localDate, zonedTime } from "../../lib/dates";
import type { Lead } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { createTask } from "../tasks/create";
import { queueRescore } from "./rescore";
import { wholeSeconds } from "../tasks/input";

export const nurtureKinds = ["call", "email", "whatsapp", "meeting"] as const;
export type NurtureKind = (typeof nurtureKinds)[number];

/** One follow-up: on day `day` after the run (0: today), a task of this kind and title. */
export interface NurtureStep {
  day: number;
  kind: NurtureKind;
  title: string;
}

/** The sequence the form starts with (issue 12, item 5). */
export const defaultSequence: readonly NurtureStep[] = [
  { day: 0, kind: "call", title: "Call" },
  { day: 2, kind: "email", title: "Send a follow-up e-mail" },
  { day: 5, kind: "call", title: "Follow-up call" },
];

export const maxNurtureLeads = 200;
export const maxNurtureSteps = 8;
export const maxNurtureDay = 365;
/** Later steps fall due at this local hour of their day (the business's time zone). */
export const nurtureDueHour = 10;

export const nurtureMessages = {
  none: "Select at least one lead (tick the boxes on the list).",
  tooMany: `Select at most ${maxNurtureLeads} leads at a time.`,
  unknown: "Some selected leads no longer exist or are not yours; select them again.",
  steps: `Keep 1 to ${maxNurtureSteps} steps, each with a day from 0 to ${maxNurtureDay} and a title.`,
  run: "This confirmation expired; choose the leads again.",
};

/** A fresh run key for the confirmation page: posting it twice never doubles the tasks. */
export const newRunKey = () => randomBytes(8).toString("hex");

/**
 * When a step falls due: day 0 is today (now, or 10:00 if earlier), day N is 10:00 on the N-th
 * day after today — days and hours of the business's time zone, from the injected clock.
 */
export function nurtureDueAt(now: Date, timeZone: string, day: number): Date {
  const today = localDate(now, timeZone);
  const due = zonedTime(addDays(today, day), { hour: nurtureDueHour, minute: 0 }, timeZone);
  return wholeSeconds(day === 0 && due < now ? now : due)!;
}

export interface NurtureTarget {
  lead: Lead;
  /** Who gets the tasks: the lead's owner, or the member running it for unowned leads. */
  assigneeId: number | null;
}

/** The selected leads the member can see, in the order chosen (every one of them, or 422). */
export async function nurtureTargets(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  leadIds: readonly number[],
): Promise<NurtureTarget[]> {
  authorize(ctx, "leads.manage");
  authorize(ctx, "tasks.manage");
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) throw AppError.validation({ leadIds: nurtureMessages.none });
  if (ids.length > maxNurtureLeads) throw AppError.validation({ leadIds: nurtureMessages.tooMany });
  const leads = await deps.models.Lead.findAll({
    where: tenantWhere(ctx, deps.models.Lead, { id: { [Op.in]: ids } }),
    include: [{ model: deps.models.User, as: "owner", attributes: ["id", "name"] }],
  });
  if (leads.length !== ids.length) throw AppError.validation({ leadIds: nurtureMessages.unknown });
  const byId = new Map(leads.map((lead) => [lead.id, lead]));
  const actor = ctx.system ? null : ctx.user.id;
  return ids.map((id) => {
    const lead = byId.get(id)!;
    return { lead, assigneeId: lead.ownerId ?? actor };
  });
}

export function checkSteps(steps: readonly NurtureStep[]): NurtureStep[] {
  const valid =
    steps.length > 0 &&
    steps.length <= maxNurtureSteps &&
    steps.every(
      (s) =>
        Number.isInteger(s.day) &&
        s.day >= 0 &&
        s.day <= maxNurtureDay &&
        nurtureKinds.includes(s.kind) &&
        s.title.trim().length > 0 &&
        s.title.trim().length <= 120,
    );
  if (!valid) throw AppError.validation({ steps: nurtureMessages.steps });
  return [...steps].map((s) => ({ ...s, title: s.title.trim() })).sort((a, b) => a.day - b.day);
}

const fullName = (lead: Pick<Lead, "firstName" | "lastName">) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(" ");

export interface NurtureResult {
  created: number;
  /** Tasks of this run that already existed (the confirmation was sent twice). */
  skipped: number;
  leads: number;
}

/**
 * Creates the sequence's tasks for every selected lead, assigned to its owner (unowned: the member
 * running it). Idempotent per lead and run: each task carries "<run>:<lead>:<step>" under a unique
 * index, so a second post of the same confirmation (or a parallel one) adds nothing.
 */
export async function runNurture(
  deps: Deps,
  ctx: TenantContext,
  runKey: string,
  leadIds: readonly number[],
  sequence: readonly NurtureStep[],
): Promise<NurtureResult> {
  if (!/^[0-9a-f]{16}$/.test(runKey)) throw AppError.validation({ run: nurtureMessages.run });
  const steps = checkSteps(sequence);
  const targets = await nurtureTargets(deps, ctx, leadIds);
  const keyOf = (leadId: number, step: number) => `${runKey}:${leadId}:${step}`;
  const existing = await deps.models.Task.findAll({
    where: tenantWhere(
      ctx,
      deps.models.Task,
      { nurtureKey: { [Op.like]: `${runKey}:%` } },
      { wholeBusiness: true },
    ),
    attributes: ["nurtureKey"],
  });
  const done = new Set(existing.map((task) => task.nurtureKey));
  const now = deps.clock.now();
  const zone = ctx.business.timeZone;
  const result: NurtureResult = { created: 0, skipped: 0, leads: targets.length };
  const nurtured: number[] = [];
  for (const { lead, assigneeId } of targets) {
    let planned = 0;
    for (const [index, step] of steps.entries()) {
      const nurtureKey = keyOf(lead.id, index);
      if (done.has(nurtureKey)) {
        result.skipped += 1;
        continue;
      }
      const task = {
        title: `${step.title}: ${fullName(lead)}`.slice(0, 200),
        description: `Follow-up ${index + 1} of ${steps.length} (day ${step.day}, ${step.kind}) for lead ${fullName(lead)} — /leads/${lead.id}`,
        priority: "medium" as const,
        dueAt: nurtureDueAt(now, zone, step.day),
        leadId: lead.id,
        nurtureKey,
      };
      try {
        await createTask(deps, ctx, { ...task, assigneeId }).catch(async (error: unknown) => {
          // The owner may have left the team: the task goes to whoever runs the sequence.
          if (!isAppError(error) || error.id !== "validation_failed" || ctx.system) throw error;
          return createTask(deps, ctx, { ...task, assigneeId: ctx.user.id });
        });
        result.created += 1;
        planned += 1;
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        result.skipped += 1;
      }
    }
    if (planned > 0) nurtured.push(lead.id);
    if (planned > 0)
      await deps.models.LeadEvent.create({
        businessId: ctx.business.id,
        leadId: lead.id,
        actorId: ctx.system ? null : ctx.user.id,
        kind: "nurtured",
        details: JSON.stringify({ run: runKey, tasks: planned, assigneeId }),
        createdAt: now,
      });
  }
  // An engagement rule may count "nurtured" entries: those leads are scored again.
  await queueRescore(deps, ctx, nurtured, { kinds: ["nurtured"] });
  return result;
}

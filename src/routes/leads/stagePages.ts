import {
  addLeadStage,
  businessLeadStages,
  leadsInStage,
  moveLeadStage,
  removeLeadStage,
  renameLeadStage,
  stageName,
  type LeadStageInfo,
} from "../../commands/leads/stages";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { TenantContext } from "../../tenancy/context";
import type {
  stageCodeParams,
  stageMoveSchema,
  stageNameSchema,
  stageRemoveSchema,
} from "./workSchema";

type OneStage = { params: typeof stageCodeParams };

const kindNotes: Record<string, string> = {
  entry: "New leads start here",
  open: "",
  lost: "Closes a lead as lost",
  converted: "Reached by converting a lead",
};

/** GET /leads/stages: the business's stages, each renamable, movable and (open ones) removable. */
export async function showStages({ req, res, deps, ctx }: PageCall) {
  const stages = await businessLeadStages(deps, ctx.business.id);
  res.render("leads/stages", {
    title: "Lead stages",
    csrfToken: csrfToken(req),
    stages: stages.map((stage, index) => ({
      ...stage,
      note: kindNotes[stage.kind],
      removable: stage.kind === "open",
      first: index === 0,
      last: index === stages.length - 1,
    })),
  });
}

export function backToStages(): string {
  return "/leads/stages";
}

export function stageProblem(failure: FormFailure): string {
  return Object.values(failure.errors)[0] ?? failure.error.message;
}

/** POST /leads/stages: a new open stage (before Lost). */
export async function addStage({ deps, ctx, body }: PageCall<{ body: typeof stageNameSchema }>) {
  const stage = await addLeadStage(deps, ctx, body.name);
  return redirect("/leads/stages", `Stage ${stage.name} added.`);
}

/** The stage a path names in the business (404 when it has no such stage). */
export async function loadStage({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { code: string }>): Promise<LeadStageInfo> {
  const stages = await businessLeadStages(deps, ctx.business.id);
  const stage = stages.find((s) => s.code === params.code);
  if (!stage) throw AppError.notFound("That stage does not exist (any more).");
  return stage;
}

/** POST /leads/stages/:code: rename. */
export async function renameStage({
  deps,
  ctx,
  params,
  body,
}: PageCall<OneStage & { body: typeof stageNameSchema }>) {
  await renameLeadStage(deps, ctx, params.code, body.name);
  return redirect("/leads/stages", `Stage renamed to ${body.name}.`);
}

/** POST /leads/stages/:code/move: one place up or down. */
export async function moveStage({
  deps,
  ctx,
  params,
  body,
}: PageCall<OneStage & { body: typeof stageMoveSchema }>) {
  await moveLeadStage(deps, ctx, params.code, body.direction);
  return redirect("/leads/stages", "Stage order saved.");
}

/** GET /leads/stages/:code/remove: the confirmation, with where its leads go. */
export async function confirmRemoveStage({ req, res, deps, ctx, params }: PageCall<OneStage>) {
  const stages = await businessLeadStages(deps, ctx.business.id);
  const stage = stages.find((s) => s.code === params.code);
  if (!stage) throw AppError.notFound("That stage does not exist (any more).");
  if (stage.kind !== "open")
    return redirect("/leads/stages", "New, Converted and Lost cannot be removed (rename them).");
  const count = await leadsInStage(deps, ctx, stage.code);
  res.render("leads/remove-stage", {
    title: `Remove ${stage.name}?`,
    csrfToken: csrfToken(req),
    stage: { code: stage.code, name: stage.name },
    count,
    targets: stages
      .filter((s) => s.code !== stage.code && s.kind !== "converted")
      .map((s) => ({ value: s.code, label: s.name })),
  });
}

/** POST /leads/stages/:code/remove: refused while it holds leads and no target is chosen. */
export async function removeStage({
  deps,
  ctx,
  params,
  body,
}: PageCall<OneStage & { body: typeof stageRemoveSchema }>) {
  const stages = await businessLeadStages(deps, ctx.business.id);
  const name = stageName(stages, params.code);
  const { moved } = await removeLeadStage(deps, ctx, params.code, body.moveTo);
  const where = body.moveTo ? stageName(stages, body.moveTo) : "";
  return redirect(
    "/leads/stages",
    moved > 0
      ? `Stage ${name} removed; ${moved} lead(s) moved to ${where}.`
      : `Stage ${name} removed.`,
  );
}

/** A refused removal goes back to its confirmation with the reason. */
export function backToRemove({ params }: PageFormCall<OneStage>): string {
  return `/leads/stages/${params.code}/remove`;
}

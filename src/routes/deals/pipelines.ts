import type { Request, Response } from "express";
import {
  addStage,
  createPipeline,
  renamePipeline,
  dealsInStage,
  loadPipeline as findPipeline,
  loadStage as findStage,
  moveStage,
  pipelineStages,
  removeStage,
  updateStage,
} from "../../commands/deals/pipelines";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Pipeline, PipelineStage } from "../../models";
import { stageKinds } from "../../models/Deal";
import type { TenantContext } from "../../tenancy/context";
import type {
  pipelineFormSchema,
  pipelineParams,
  stageFormSchema,
  stageMoveFormSchema,
  stageParams,
  stageRemoveFormSchema,
} from "./schema";

type Deps = PageCall["deps"];
type OnePipeline = { params: typeof pipelineParams; record: Pipeline };
type OneStage = { params: typeof stageParams; record: PipelineStage };

const kindLabels = { open: "Open", won: "Won", lost: "Lost" } as const;

export function loadPipeline({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { pipelineId: number }>) {
  return findPipeline(deps, ctx, params.pipelineId);
}

/** A stage of the pipeline the path names (404 when it belongs to another one). */
export async function loadStage({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { pipelineId: number; stageId: number }>) {
  const stage = await findStage(deps, ctx, params.stageId);
  if (stage.pipelineId !== params.pipelineId) throw AppError.notFound();
  return stage;
}

async function renderSettings(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  pipeline: Pipeline,
  form: { values: Record<string, unknown>; errors: FieldErrors; status: number } = {
    values: { probability: "50", kind: "open" },
    errors: {},
    status: 200,
  },
) {
  const stages = await pipelineStages(deps, ctx, pipeline.id);
  res.status(form.status).render("deals/pipeline", {
    title: `${pipeline.name} pipeline`,
    csrfToken: csrfToken(req),
    pipeline: { id: pipeline.id, name: pipeline.name },
    stages: stages.map((s, i) => ({
      id: s.id,
      name: s.name,
      probability: s.probability,
      kindLabel: kindLabels[s.kind],
      first: i === 0,
      last: i === stages.length - 1,
      kindOptions: stageKinds.map((k) => ({
        value: k,
        label: kindLabels[k],
        selected: k === s.kind,
      })),
    })),
    values: form.values,
    errors: form.errors,
    kindOptions: stageKinds.map((k) => ({
      value: k,
      label: kindLabels[k],
      selected: k === form.values.kind,
    })),
  });
}

/** POST /deals/pipelines: another pipeline, started with the default stages. */
export async function newPipeline({
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof pipelineFormSchema }>) {
  const pipeline = await createPipeline(deps, ctx, body.name);
  return redirect(`/deals/pipelines/${pipeline.id}`, `Pipeline "${pipeline.name}" created.`);
}

/** POST /deals/pipelines/:pipelineId: rename. */
export async function savePipeline({
  deps,
  ctx,
  body,
  record,
}: PageCall<OnePipeline & { body: typeof pipelineFormSchema }>) {
  await renamePipeline(deps, ctx, record, body.name);
  return redirect(`/deals/pipelines/${record.id}`, `Pipeline renamed to "${body.name}".`);
}

export function pipelineBack({ record }: PageFormCall<{ record: Pipeline | undefined }>) {
  return record ? `/deals/pipelines/${record.id}` : "/deals";
}

/** GET /deals/pipelines/:pipelineId */
export function showPipeline({ req, res, deps, ctx, record }: PageCall<OnePipeline>) {
  return renderSettings(req, res, deps, ctx, record);
}

/** POST /deals/pipelines/:pipelineId/stages: a new stage at the end. */
export async function createStage({
  deps,
  ctx,
  body,
  record,
}: PageCall<OnePipeline & { body: typeof stageFormSchema }>) {
  await addStage(deps, ctx, record, body);
  return redirect(`/deals/pipelines/${record.id}`, `Stage "${body.name}" added.`);
}

export function renderStageFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Pipeline }>,
  failure: FormFailure,
) {
  return renderSettings(req, res, deps, ctx, record, failure);
}

/** POST /deals/pipelines/:pipelineId/stages/:stageId: rename, probability, kind. */
export async function saveStage({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneStage & { body: typeof stageFormSchema }>) {
  await updateStage(deps, ctx, record, body);
  return redirect(`/deals/pipelines/${record.pipelineId}`, `Stage "${body.name}" saved.`);
}

export function stageBack({ record }: PageFormCall<{ record: PipelineStage }>) {
  return `/deals/pipelines/${record.pipelineId}`;
}

/** POST /deals/pipelines/:pipelineId/stages/:stageId/move: one place up or down. */
export async function reorderStage({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneStage & { body: typeof stageMoveFormSchema }>) {
  await moveStage(deps, ctx, record, body.direction);
  return redirect(
    `/deals/pipelines/${record.pipelineId}`,
    `Stage "${record.name}" moved ${body.direction}.`,
  );
}

/** GET /deals/pipelines/:pipelineId/stages/:stageId/remove: asks where its deals go. */
export async function confirmRemove({ req, res, deps, ctx, record }: PageCall<OneStage>) {
  const count = await dealsInStage(deps, ctx, record.id);
  const others = (await pipelineStages(deps, ctx, record.pipelineId)).filter(
    (s) => s.id !== record.id,
  );
  res.render("deals/remove-stage", {
    title: `Remove ${record.name}`,
    csrfToken: csrfToken(req),
    stage: { id: record.id, name: record.name, pipelineId: record.pipelineId },
    count,
    hasDeals: count > 0,
    moveOptions: others.map((s, i) => ({ value: s.id, label: s.name, selected: i === 0 })),
  });
}

/** POST /deals/pipelines/:pipelineId/stages/:stageId/remove */
export async function destroyStage({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneStage & { body: typeof stageRemoveFormSchema }>) {
  const { moved } = await removeStage(deps, ctx, record, body.moveToStageId ?? null);
  return redirect(
    `/deals/pipelines/${record.pipelineId}`,
    moved
      ? `Stage "${record.name}" removed; ${moved} deal(s) moved.`
      : `Stage "${record.name}" removed.`,
  );
}

import { enqueueImportWork } from "../../src/commands/imports/enqueue";
import { takeoverTime } from "../../src/db/lease";
import { parseSettings } from "../../src/commands/imports/fields";
import { failImport } from "../../src/commands/imports/finish";
import { inspectImport } from "../../src/commands/imports/inspect";
import { runRevert } from "../../src/commands/imports/revert";
import { runImport, type RunOptions, type RunOutcome } from "../../src/commands/imports/run";
import { startImport } from "../../src/commands/imports/start";
import type { Deps } from "../../src/deps";
import { AppError } from "../../src/errors";
import { jobCatalog, type ImportPayload } from "../../src/jobs/catalog";
import { defineTenantJob } from "../../src/jobs/define";
import { JobDeferred, type JobInfo } from "../../src/jobs/queue";
import type { Import } from "../../src/models";
import type { TenantContext } from "../../src/tenancy/context";
import { tenantWhere } from "../../src/tenancy/scope";

const messages = {
  unreadable: "The file could not be read because of an error on our side. Upload it again.",
  starterLeft: "The person who started this import is no longer a member of the business.",
};

/**
 * After a run or an undo:
 * - held by another runner: the watch of that runner's lease (the job queued for its epoch) looks
 *   again when the lease next runs out — taking over if the runner has died. Any other job (a
 *   duplicate delivery, a killed runner's job delivered again) only makes sure the watch is queued;
 * - stopped by a shutdown: the rest is queued at once, for the next worker.
 */
async function afterRun(
  deps: Deps,
  ctx: TenantContext,
  payload: ImportPayload,
  outcome: RunOutcome,
) {
  if (outcome.kind === "held" && outcome.epoch === payload.leaseEpoch)
    throw new JobDeferred(takeoverTime(outcome.until, deps.clock.now()));
  if (outcome.kind !== "held" && outcome.kind !== "stopped") return;
  const record = await deps.models.Import.findOne({
    where: tenantWhere(ctx, deps.models.Import, { id: payload.importId }),
  });
  if (record) await enqueueImportWork(deps, record);
}

/** How a runner works inside a job: it stops on shutdown and queues its lease's watch. */
function runOptions(deps: Deps, job: JobInfo): RunOptions {
  return {
    signal: job.signal,
    onClaimed: async (record) => {
      await enqueueImportWork(deps, record);
    },
  };
}

/** An import whose starter has left, or whose business is gone, fails with the reason. */
async function starterGone(deps: Deps, { importId, businessId }: ImportPayload) {
  const record = await deps.models.Import.findOne({ where: { id: importId, businessId } });
  if (record && !["completed", "failed", "reverted", "discarded"].includes(record.status))
    await failImport(deps, record, { id: "forbidden", message: messages.starterLeft }, null);
}

/** API uploads: started with the mapping from the headers, or failed with the reason. */
async function autoStart(deps: Deps, ctx: TenantContext, record: Import): Promise<void> {
  const settings = parseSettings(record.settings);
  try {
    const started = await startImport(deps, ctx, record, {
      mapping: settings.mapping,
      mode: record.mode,
      update: settings.update,
    });
    await enqueueImportWork(deps, started);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const fields = (error.details?.fields ?? {}) as Record<string, string>;
    const message = [error.message, ...Object.values(fields)].join(" ");
    await failImport(deps, record, { id: error.id, message }, null);
  }
}

/** Import work acts for a member: without one (the starter's account is gone) it fails. */
function importJob(
  name: "inspect-import" | "run-import" | "revert-import",
  perform: (deps: Deps, ctx: TenantContext, payload: ImportPayload, job: JobInfo) => Promise<void>,
) {
  return defineTenantJob(
    name,
    (deps, ctx, payload, job) =>
      ctx.system ? starterGone(deps, payload) : perform(deps, ctx, payload, job),
    { contextGone: starterGone },
  );
}

const inspectAttempts = jobCatalog["inspect-import"].retry?.attempts ?? 1;

/** The imports queue: reading an upload's head, running an import, undoing one. */
export const importJobs = [
  importJob("inspect-import", async (deps, ctx, { importId }, job) => {
    let record;
    try {
      record = await inspectImport(deps, ctx, importId);
    } catch (error) {
      // Out of retries: say so on the import rather than leave it "reading" for ever.
      const last = await deps.models.Import.findOne({
        where: tenantWhere(ctx, deps.models.Import, { id: importId }),
      });
      if (last && job.attempt >= inspectAttempts)
        await failImport(deps, last, { id: "internal_error", message: messages.unreadable }, null);
      throw error;
    }
    if (!record || record.status !== "ready" || !parseSettings(record.settings).autoStart) return;
    await autoStart(deps, ctx, record);
  }),
  importJob("run-import", async (deps, ctx, payload, job) => {
    const outcome = await runImport(deps, ctx, payload.importId, runOptions(deps, job));
    await afterRun(deps, ctx, payload, outcome);
  }),
  importJob("revert-import", async (deps, ctx, payload, job) => {
    const outcome = await runRevert(deps, ctx, payload.importId, runOptions(deps, job));
    await afterRun(deps, ctx, payload, outcome);
  }),
];

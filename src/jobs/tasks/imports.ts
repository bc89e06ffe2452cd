import { importDepsOf, type ImportDeps } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { parseSettings } from "../../commands/imports/fields";
import { failImport } from "../../commands/imports/finish";
import { inspectImport } from "../../commands/imports/inspect";
import { runRevert } from "../../commands/imports/revert";
import { runImport, type RunOutcome } from "../../commands/imports/run";
import { startImport } from "../../commands/imports/start";
import { AppError } from "../../errors";
import type { Import } from "../../models";
import type { TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

const messages = {
  unreadable: "The file could not be read because of an error on our side. Upload it again.",
};

/** Import jobs carry the import's id only; its row in the database says what to do. */
export interface ImportPayload {
  importId: number;
}

/**
 * When another runner holds the import (a duplicate delivery, or a killed worker whose lease has
 * not run out yet), come back when its lease ends: a dead runner's work is then taken over.
 */
async function afterRun(deps: TaskDeps, importId: number, outcome: RunOutcome): Promise<void> {
  if (outcome.kind !== "held") return;
  const record = await deps.models.Import.findByPk(importId);
  if (record) await enqueueImportWork(deps.queue, deps.tasks(), record);
}

const inspectAttempts = 3;

/** Reads the uploaded file's headers and first rows; API uploads then start at once. */
export function inspectImportTask(deps: TaskDeps): TaskDefinition<ImportPayload> {
  const importDeps = importDepsOf(deps);
  return {
    queue: "imports",
    name: "inspect-import",
    retry: { attempts: inspectAttempts, backoffMs: 2000 },
    async perform({ importId }, job) {
      let record;
      try {
        record = await inspectImport(importDeps, importId);
      } catch (error) {
        // Out of retries: say so on the import rather than leave it "reading" for ever.
        const last = await deps.models.Import.findByPk(importId);
        if (last && job.attempt >= inspectAttempts)
          await failImport(
            importDeps,
            last,
            { id: "internal_error", message: messages.unreadable },
            null,
          );
        throw error;
      }
      if (!record || record.status !== "ready" || !parseSettings(record.settings).autoStart) return;
      await autoStart(deps, importDeps, record);
    },
  };
}

/** API uploads: started with the mapping from the headers, or failed with the reason. */
async function autoStart(deps: TaskDeps, importDeps: ImportDeps, record: Import): Promise<void> {
  const settings = parseSettings(record.settings);
  try {
    const started = await startImport(importDeps, record, {
      mapping: settings.mapping,
      mode: record.mode,
      update: settings.update,
    });
    await enqueueImportWork(deps.queue, deps.tasks(), started);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const fields = (error.details?.fields ?? {}) as Record<string, string>;
    const message = [error.message, ...Object.values(fields)].join(" ");
    await failImport(importDeps, record, { id: error.id, message }, null);
  }
}

/** Runs (or resumes) an import to the end. */
export function runImportTask(deps: TaskDeps): TaskDefinition<ImportPayload> {
  const importDeps = importDepsOf(deps);
  return {
    queue: "imports",
    name: "run-import",
    // A failure outside the file (a lost connection) resumes from the checkpoint on retry.
    retry: { attempts: 5, backoffMs: 5000 },
    async perform({ importId }) {
      await afterRun(deps, importId, await runImport(importDeps, importId));
    },
  };
}

/** Undoes an import. */
export function revertImportTask(deps: TaskDeps): TaskDefinition<ImportPayload> {
  const importDeps = importDepsOf(deps);
  return {
    queue: "imports",
    name: "revert-import",
    retry: { attempts: 5, backoffMs: 5000 },
    async perform({ importId }) {
      await afterRun(deps, importId, await runRevert(importDeps, importId));
    },
  };
}

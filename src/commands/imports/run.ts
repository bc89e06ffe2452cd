import { existsSync } from "node:fs";
import { QueryTypes } from "sequelize";
import { isAppError } from "../../errors";
import { remaining } from "../../plans/planGate";
import type { Import } from "../../models";
import { toE164 } from "../../lib/phone";
import { importActor } from "./actor";
import type { PendingRow } from "./batchPlan";
import { LeaseLostError, customerTuple, writeBatch, type WriterContext } from "./batchWriter";
import { importLimits, storedFile, type ImportDeps } from "./deps";
import { fastPhone } from "./fastPhone";
import { fieldText, prepareRow, rowContext, type RowContext } from "./prepare";
import { parseSettings, type ImportSettings } from "./fields";
import { isLeadImport, runLeadImport } from "./leadImport";
import type { Deps } from "../../deps";
import { completeImport, failImport } from "./finish";
import { claimImport, keepImportLease, releaseImport, type Claim } from "./lease";
import { PhoneSet } from "./phoneSet";
import {
  SpreadsheetError as ImportFileError,
  cellText,
  isBlank,
  readRows,
  type SourceRow,
} from "../../lib/spreadsheets";
import { SqlLiterals } from "../../db/bulk";
import type { TenantContext } from "../../tenancy/context";

/**
 * Runs an import from its checkpoint to the end: rows are read, checked and written in batches,
 * and the next batch is read and checked while the database writes the previous one.
 *
 * Resuming: rows before the checkpoint were committed, so they are only replayed to rebuild the
 * set of phone numbers seen in the file (for in-file duplicates): every such row that is not in
 * import_errors as invalid or duplicate was accepted, and its phone number is valid.
 */
export type RunOutcome =
  | { kind: "done" | "failed" | "idle" | "lost" }
  /** Asked to stop (shutdown): the lease is released and the rest is owed to the next runner. */
  | { kind: "stopped" }
  /** Another runner holds it: its lease (epoch) and when it runs out unless renewed. */
  | { kind: "held"; until: Date; epoch: number };

export interface RunOptions {
  /** Aborted when the process shuts down: the run stops after the batch in flight. */
  signal?: AbortSignal;
  /** Called once the run holds the import (the job layer queues the takeover watch for it). */
  onClaimed?: (record: Import) => Promise<void>;
}

/** Thrown inside the pipeline when the run is asked to stop; never leaves runImport. */
export class StopRequested extends Error {
  constructor() {
    super("The run was asked to stop");
    this.name = "StopRequested";
  }
}

/** Row numbers of rows before the checkpoint that did not count as seen, read page by page. */
class RejectedRows {
  private page: number[] = [];
  private at = 0;
  private after = 0;
  private exhausted = false;

  constructor(
    private readonly deps: ImportDeps,
    private readonly importId: number,
  ) {}

  /** Whether `row` was rejected; rows must be asked in increasing order. */
  async has(row: number): Promise<boolean> {
    for (;;) {
      while (this.at < this.page.length && (this.page[this.at] as number) < row) this.at++;
      if (this.at < this.page.length) return this.page[this.at] === row;
      if (this.exhausted) return false;
      await this.load();
    }
  }

  private async load(): Promise<void> {
    const rows = await this.deps.sequelize.query<{ source_row: number }>(
      `SELECT source_row FROM import_errors WHERE import_id = :id AND kind IN ('invalid', 'duplicate')
         AND source_row > :after ORDER BY source_row LIMIT 10000`,
      { type: QueryTypes.SELECT, replacements: { id: this.importId, after: this.after } },
    );
    this.page = rows.map((r) => Number(r.source_row));
    this.at = 0;
    if (this.page.length < 10000) this.exhausted = true;
    if (this.page.length > 0) this.after = this.page[this.page.length - 1] as number;
  }
}

function replayPhone(row: SourceRow, settings: ImportSettings, country: string): string | null {
  const index = settings.mapping.phone;
  const text = index === null ? null : fieldText("phone", row.cells[index])?.trim();
  if (!text) return null;
  return fastPhone(text, country)?.e164 ?? toE164(text, country);
}

interface Pipeline {
  context: RowContext;
  writer: WriterContext;
  settings: ImportSettings;
  checkpoint: number;
  maxRows: number;
  batchSize: number;
  lease: { readonly lost: boolean };
  signal?: AbortSignal;
  /** Only a limited plan can turn rows down at write time (then their cells are reported). */
  keepCells: boolean;
}

async function pump(deps: ImportDeps, record: Import, p: Pipeline): Promise<void> {
  const seen = new PhoneSet(record.totalRows ?? 0);
  const rejected = new RejectedRows(deps, record.id);
  const source = readRows(
    storedFile(deps.config, record.storedName ?? ""),
    {
      format: record.format ?? "csv",
      delimiter: p.settings.delimiter,
      sheetPart: p.settings.sheetPart,
    },
    p.batchSize,
  );
  let header = false;
  let consumed = 0;
  let from = p.checkpoint;
  let rows: PendingRow[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  let sinceYield = 0;
  // The created_at of the rows being read (rendered into their INSERT tuples).
  let batchStartedAt = deps.clock.now();

  // The checkpoint: the batch in flight commits (or not), and rows read after it are read again
  // by the next runner.
  const stopIfAsked = async () => {
    if (!p.signal?.aborted) return;
    await writing;
    throw new StopRequested();
  };
  const flush = async () => {
    // One batch in flight: wait for the previous one (and surface its error) before the next.
    await writing;
    if (p.lease.lost) throw new LeaseLostError();
    await stopIfAsked();
    const batch = { rows, from, to: consumed };
    rows = [];
    from = consumed;
    writing = writeBatch(p.writer, batch);
    batchStartedAt = deps.clock.now();
    // Keeps an early failure from being reported as unhandled while the next batch is read.
    writing.catch(() => undefined);
  };

  try {
    for await (const sourceRows of source) {
      for (const row of sourceRows) {
        // Reading and checking rows is CPU work: let the database's answers for the batch in
        // flight be handled every so often, or each round trip of it waits for a whole batch.
        if (++sinceYield === 64) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          // Also while only replaying rows before the checkpoint, which can take a while.
          await stopIfAsked();
        }
        if (!header) {
          header = !isBlank(row.cells);
          continue;
        }
        consumed++;
        if (consumed > p.maxRows)
          throw new ImportFileError(
            `The file has more than ${p.maxRows} rows, the most one import takes.`,
          );
        if (consumed <= p.checkpoint) {
          const phone = replayPhone(row, p.settings, p.context.country);
          if (phone && !(await rejected.has(row.rowNumber))) seen.addOrGet(phone, row.rowNumber);
          continue;
        }
        const prepared = prepareRow(row.cells, p.context);
        if (prepared.kind === "invalid") {
          const values = row.cells.map(cellText);
          rows.push({
            kind: "error",
            rowNumber: row.rowNumber,
            errorKind: "invalid",
            values,
            messages: prepared.messages,
          });
        } else if (prepared.kind === "ok") {
          const first = seen.addOrGet(prepared.customer.columns.phoneE164, row.rowNumber);
          if (first === 0) {
            const { customer, raw } = prepared;
            rows.push({
              kind: "ok",
              rowNumber: row.rowNumber,
              create: {
                phone: customer.columns.phoneE164,
                tags: customer.input.tags,
                tuple: customerTuple(p.writer, customer, batchStartedAt),
              },
              cells: p.keepCells ? row.cells : null,
              update: p.writer.mode === "update" ? { customer, raw } : null,
            });
          } else {
            rows.push({
              kind: "error",
              rowNumber: row.rowNumber,
              errorKind: "duplicate",
              values: row.cells.map(cellText),
              messages: [`Skipped: same phone number as row ${first} of this file.`],
            });
          }
        }
        if (consumed - from >= p.batchSize) await flush();
      }
    }
    if (consumed > from) await flush();
  } finally {
    // A file error mid-way: the batch in flight still commits (or not) before the import fails.
    await writing.catch(() => undefined);
  }
  await writing;
}

/**
 * Claims the import and runs it; a held lease or a finished import is reported, not waited on.
 * Stopped by `options.signal`, it gives the import up at the next checkpoint (outcome "stopped").
 */
export async function runImport(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const claim: Claim = await claimImport(deps, ctx, importId, ["queued", "running"], "running");
  if (claim.kind === "held")
    return { kind: "held", until: claim.lease.expiresAt, epoch: claim.lease.epoch };
  if (claim.kind === "idle") return { kind: "idle" };
  const { record } = claim;
  const { owner } = claim.lease;
  const lease = keepImportLease(deps, record, owner);
  try {
    await options.onClaimed?.(record);
    const file = record.storedName ? storedFile(deps.config, record.storedName) : null;
    if (!file || !existsSync(file))
      throw new ImportFileError("The uploaded file is no longer available. Upload it again.");
    const settings = parseSettings(record.settings);
    // Leads go one by one through createLead (round-robin, scoring): commands/imports/leadImport.ts.
    if (isLeadImport(settings)) {
      if (!("jobs" in deps)) throw new Error("lead imports need the job side's dependencies");
      const led = await runLeadImport(deps as Deps, ctx, record, owner, {
        lease,
        signal: options.signal,
      });
      if (led === "lost") return { kind: "lost" };
      if (led === "stopped") throw new StopRequested();
      await completeImport(deps, record, owner);
      return { kind: "done" };
    }
    const actor = importActor(ctx);
    await pump(deps, record, {
      settings,
      checkpoint: record.processedRows,
      maxRows: importLimits(deps.config).maxRows,
      batchSize: importLimits(deps.config).batchSize,
      lease,
      signal: options.signal,
      keepCells: remaining(actor.plan, "customers", 0) !== Number.POSITIVE_INFINITY,
      context: rowContext(actor.business.country, settings.mapping, actor.ownerOfCreated),
      writer: {
        deps,
        importId,
        businessId: record.businessId,
        leaseOwner: owner,
        actorId: actor.userId,
        mode: record.mode,
        update: settings.update,
        onlyOwnedBy: actor.onlyOwnedBy,
        plan: actor.plan,
        literals: new SqlLiterals(deps.sequelize),
        tagIds: new Map(),
        fileName: record.fileName,
      },
    });
    await completeImport(deps, record, owner);
    return { kind: "done" };
  } catch (error) {
    if (error instanceof LeaseLostError) return { kind: "lost" };
    if (error instanceof StopRequested) {
      lease.stop();
      return (await releaseImport(deps, record, owner)) ? { kind: "stopped" } : { kind: "lost" };
    }
    if (error instanceof ImportFileError || isAppError(error)) {
      const id = isAppError(error) ? error.id : "invalid_file";
      await failImport(deps, record, { id, message: error.message }, owner);
      return { kind: "failed" };
    }
    // Anything else may pass (a lost connection): free the import so a retry resumes at once.
    await releaseImport(deps, record, owner).catch(() => undefined);
    throw error;
  } finally {
    lease.stop();
  }
}

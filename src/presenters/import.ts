import { parseSettings } from "../commands/imports/fields";
import { summaryOf } from "../commands/imports/finish";
import { canRevert, revertDeadline } from "../commands/imports/revert";
import { formatDateTime } from "../lib/dates";
import type { Import } from "../models";

/** An import as the pages and the API show it: status, progress, rate, ETA and counts. */
const statusLabels: Record<Import["status"], string> = {
  inspecting: "Reading the file",
  ready: "Waiting for you to start it",
  queued: "Queued",
  running: "Importing",
  completed: "Completed",
  failed: "Failed",
  reverting: "Undoing",
  reverted: "Undone",
  discarded: "Discarded",
};

const statusColors: Record<Import["status"], string> = {
  inspecting: "secondary",
  ready: "info",
  queued: "secondary",
  running: "primary",
  completed: "success",
  failed: "danger",
  reverting: "warning",
  reverted: "dark",
  discarded: "light",
};

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const number = (n: number) => n.toLocaleString("en");

export function presentImport(
  record: Import,
  options: { revertDays: number; timeZone: string; now?: Date },
) {
  const now = options.now ?? new Date();
  const display = (date: Date | null) => (date ? formatDateTime(date, options.timeZone) : null);
  const total = record.totalRows ?? 0;
  const processed = record.processedRows;
  const active = record.status === "running" || record.status === "queued";
  // The rate of this run: rows since it (re)started over the time since.
  const elapsed = record.runStartedAt ? (now.getTime() - record.runStartedAt.getTime()) / 1000 : 0;
  const runRows = processed - record.runStartRows;
  const rate = active && elapsed > 0 && runRows > 0 ? runRows / elapsed : null;
  const left = Math.max(0, total - processed);
  const deadline = revertDeadline(record, options.revertDays);
  const finished = ["completed", "failed", "reverted"].includes(record.status);
  return {
    id: record.id,
    fileName: record.fileName,
    format: record.format,
    status: record.status,
    statusLabel: statusLabels[record.status],
    statusColor: statusColors[record.status],
    mode: record.mode,
    modeLabel: record.mode === "update" ? "Update existing" : "Skip existing",
    startedBy: record.user ? record.user.name : null,
    createdAt: record.createdAt.toISOString(),
    startedAt: record.startedAt?.toISOString() ?? null,
    finishedAt: record.finishedAt?.toISOString() ?? null,
    revertedAt: record.revertedAt?.toISOString() ?? null,
    createdAtDisplay: display(record.createdAt),
    finishedAtDisplay: display(record.finishedAt),
    active,
    // An API upload passes through "ready" on its own way to "queued".
    working:
      active ||
      record.status === "inspecting" ||
      record.status === "reverting" ||
      (record.status === "ready" && parseSettings(record.settings).autoStart === true),
    finished,
    progress: {
      total,
      processed,
      percent: total > 0 ? Math.min(100, Math.floor((processed / total) * 100)) : 0,
      totalText: number(total),
      processedText: number(processed),
      rowsPerSecond: rate === null ? null : Math.round(rate),
      rateText: rate === null ? null : `${number(Math.round(rate))} rows/s`,
      etaSeconds: rate === null ? null : Math.round(left / rate),
      etaText: rate === null ? null : duration(left / rate),
    },
    counts: {
      created: record.createdCount,
      updated: record.updatedCount,
      skipped: record.skippedCount,
      failed: record.failedCount,
    },
    summary: summaryOf(record),
    error: record.errorMessage ? { id: record.errorId, message: record.errorMessage } : null,
    hasErrorReport: record.failedCount + record.skippedCount > 0 && record.processedRows > 0,
    canRevert: canRevert(record, options.revertDays, now),
    revertUntil: deadline && finished ? deadline.toISOString() : null,
    revertUntilDisplay: deadline && finished ? display(deadline) : null,
    links: {
      self: `/imports/${record.id}`,
      errorReport: `/imports/${record.id}/errors.csv`,
    },
  };
}

export type PresentedImport = ReturnType<typeof presentImport>;

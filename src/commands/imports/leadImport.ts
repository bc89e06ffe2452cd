import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import type { Import, Lead } from "../../models";
import { mayAssignOwners } from "../../policies/customers";
import { cellText, isBlank, readRows } from "../../lib/spreadsheets";
import type { TenantContext } from "../../tenancy/context";
import { tenantSql } from "../../tenancy/sql";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { autoOwner, newLeadSchema, type LeadChanges } from "../leads/input";
import { createLeadsInBulk, type BulkOutcome } from "../leads/bulkCreate";
import { createLead, updateLead } from "../leads/writes";
import { importLimits, storedFile, type ImportDeps } from "./deps";
import { headerKey, parseInspection, parseSettings, type ImportSettings } from "./fields";

/**
 * Importing leads (issue 12, item 2) through the importer: the same upload, inspection, mapping
 * page, lease, progress, error report and undo. New leads are written a batch at a time
 * (leads/bulkCreate.ts: multi-row INSERTs through db/bulk.ts, like the customers' importer) with
 * createLead's rules — the round-robin turn (when the importer may hand leads to others), the
 * score by the business's rules, the "created" entry and lead.created. A phone or e-mail already
 * on a lead of the business is skipped, or in update mode updated row by row (only empty fields
 * with "fill only"). A batch that loses a race to another writer is written row by row.
 */
export const leadImportFields = [
  "firstName",
  "lastName",
  "company",
  "jobTitle",
  "email",
  "phone",
  "location",
  "industry",
  "source",
  "campaignName",
  "stage",
  "score",
  "nextAction",
  "interestedProducts",
] as const;
export type LeadImportField = (typeof leadImportFields)[number];
export type LeadMapping = Record<LeadImportField, number | null>;

export const leadFieldLabels: Record<LeadImportField, string> = {
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  jobTitle: "Job title",
  email: "E-mail",
  phone: "Phone",
  location: "Location",
  industry: "Industry",
  source: "Source",
  campaignName: "Campaign",
  stage: "Stage",
  score: "Score",
  nextAction: "Next action",
  interestedProducts: "Interested products",
};

const aliases: Record<LeadImportField, string[]> = {
  firstName: ["first name", "firstname", "name", "full name", "lead name", "contact name"],
  lastName: ["last name", "lastname", "surname", "family name"],
  company: ["company", "company name", "organisation", "organization", "business"],
  jobTitle: ["job title", "title", "designation", "role", "position"],
  email: ["email", "e-mail", "email address", "e-mail address", "mail"],
  phone: ["phone", "mobile", "phone number", "mobile number", "phoneE164", "contact number"],
  location: ["location", "city", "address", "place"],
  industry: ["industry", "sector"],
  source: ["source", "lead source", "channel"],
  campaignName: ["campaign", "campaign name", "campaignName"],
  stage: ["stage", "status", "lead stage"],
  score: ["score", "lead score"],
  nextAction: ["next action", "next step", "follow up"],
  interestedProducts: ["interested products", "products", "interested in", "product"],
};

const fieldByKey = new Map<string, LeadImportField>(
  leadImportFields.flatMap((field) => aliases[field].map((a) => [headerKey(a), field])),
);

export function suggestLeadMapping(headers: string[]): LeadMapping {
  const mapping = Object.fromEntries(leadImportFields.map((f) => [f, null])) as LeadMapping;
  headers.forEach((header, index) => {
    const field = fieldByKey.get(headerKey(header));
    if (field && mapping[field] === null) mapping[field] = index;
  });
  return mapping;
}

/** The stored mapping, or the one suggested from the headers while none was chosen. */
export function leadMappingOf(record: Import): LeadMapping {
  const stored = parseSettings(record.settings).leadMapping;
  if (stored) return { ...suggestLeadMapping([]), ...stored } as LeadMapping;
  return suggestLeadMapping(parseInspection(record.inspection)?.headers ?? []);
}

export function isLeadImport(settings: Pick<ImportSettings, "target">): boolean {
  return settings.target === "leads";
}

/** Reads map_<field> of the mapping form for lead fields; an unknown value means "not imported". */
export function leadMappingFromForm(body: Record<string, unknown>): LeadMapping {
  const mapping = suggestLeadMapping([]);
  for (const field of leadImportFields) {
    const value = body[`map_${field}`];
    mapping[field] = typeof value === "string" && /^\d{1,4}$/.test(value) ? Number(value) : null;
  }
  return mapping;
}

/** Starts a "ready" lead import with the mapping chosen; the caller enqueues the run. */
export async function startLeadImport(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  options: { mapping: LeadMapping; mode: "skip" | "update"; fillOnly: boolean },
): Promise<Import> {
  if (record.status !== "ready")
    throw new AppError("conflict", "This import has already been started.");
  const headers = parseInspection(record.inspection)?.headers ?? [];
  const errors: Record<string, string> = {};
  for (const field of leadImportFields) {
    const index = options.mapping[field];
    if (index !== null && (index < 0 || index >= headers.length))
      errors[`map_${field}`] = "Choose one of the file's columns.";
  }
  if (options.mapping.firstName === null)
    errors.map_firstName = "Choose the column that holds the leads' first names.";
  if (Object.keys(errors).length) throw AppError.validation(errors);
  const settings: ImportSettings = {
    ...parseSettings(record.settings),
    target: "leads",
    leadMapping: options.mapping,
    update: { ...parseSettings(record.settings).update, fillOnly: options.fillOnly },
  };
  const sql = tenantSql(deps, ctx);
  const started = await sql.changed`
    UPDATE imports SET status = 'queued', mode = ${options.mode},
      settings = ${JSON.stringify(settings)}, seq = seq + 1, updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status = 'ready'`;
  if (started !== 1) throw new AppError("conflict", "This import has already been started.");
  return record.reload();
}

/** One row's cells as the lead form's fields (phone as typed; the schema reads it). */
function rowBody(cells: unknown[], mapping: LeadMapping): Record<string, string> {
  const body: Record<string, string> = {};
  for (const field of leadImportFields) {
    const index = mapping[field];
    if (index === null) continue;
    const text = cellText(cells[index] as never).trim();
    if (text !== "") body[field] = text;
  }
  if (body.stage) body.stage = body.stage.toLowerCase();
  return body;
}

type Outcome = "created" | "updated" | "skipped";

/** The lead of the business with the row's phone or e-mail, as the importer may see it. */
async function existingLead(deps: ImportDeps, ctx: TenantContext, changes: LeadChanges) {
  const or: Record<string, string>[] = [];
  if (changes.phoneE164) or.push({ phoneE164: changes.phoneE164 });
  if (changes.email) or.push({ email: changes.email });
  if (or.length === 0) return null;
  return deps.models.Lead.findOne({
    where: tenantWhere(ctx, deps.models.Lead, { [Op.or]: or }),
    order: [["id", "ASC"]],
  });
}

/** Update mode: the row's fields, or with "fill only" just those still empty on the lead. */
function updatesFor(lead: Lead, changes: LeadChanges, fillOnly: boolean): LeadChanges {
  const { ownerId: _owner, ...fields } = changes;
  if (!fillOnly) return fields;
  const current = lead as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(fields).filter(([key]) => {
      const value = current[key];
      return value === null || value === undefined || value === "" || value === 0;
    }),
  ) as LeadChanges;
}

/** Round-robin (when on) for importers who may hand leads to others; otherwise they own them. */
const handsOut = (ctx: TenantContext) => ctx.system || mayAssignOwners(ctx);

async function writeRow(
  deps: Deps,
  ctx: TenantContext,
  record: Import,
  changes: LeadChanges,
  fillOnly: boolean,
): Promise<Outcome> {
  const owner = handsOut(ctx) ? { ownerId: autoOwner } : {};
  try {
    const lead = await createLead(deps, ctx, { ...changes, ...owner });
    // Plain SQL: the import's mark is no edit (updated_at, read by the undo, stays the create's).
    const sql = tenantSql(deps, businessScope(record.businessId));
    await sql.run`UPDATE leads SET import_id = ${record.id}
      WHERE ${sql.scoped("leads")} AND id = ${lead.id}`;
    return "created";
  } catch (error) {
    if (!isAppError(error) || error.id !== "conflict") throw error;
    return onDuplicate(deps, ctx, record, changes, fillOnly);
  }
}

/** A row whose phone or e-mail is a lead's already: skipped, or that lead updated. */
async function onDuplicate(
  deps: Deps,
  ctx: TenantContext,
  record: Import,
  changes: LeadChanges,
  fillOnly: boolean,
): Promise<Outcome> {
  if (record.mode !== "update") return "skipped";
  const lead = await existingLead(deps, ctx, changes);
  if (!lead) return "skipped";
  const updates = updatesFor(lead, changes, fillOnly);
  const current = lead as unknown as Record<string, unknown>;
  const differs = Object.entries(updates).some(
    ([key, value]) => JSON.stringify(current[key] ?? null) !== JSON.stringify(value ?? null),
  );
  if (!differs) return "skipped";
  await updateLead(deps, ctx, lead, updates);
  return "updated";
}

interface Counts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/**
 * Runs a claimed lead import from its checkpoint (processed_rows): rows in batches; after each
 * batch its counts, error rows and the checkpoint are stored, while the runner still holds the
 * lease. A runner killed mid-batch leaves that batch's leads written: the next runner reads the
 * batch again and finds them as duplicates (skipped, or updated with the same values).
 */
export async function runLeadImport(
  deps: Deps,
  ctx: TenantContext,
  record: Import,
  owner: string,
  options: { lease: { readonly lost: boolean }; signal?: AbortSignal },
): Promise<"done" | "lost" | "stopped"> {
  const settings = parseSettings(record.settings);
  const mapping = leadMappingOf(record);
  const schema = newLeadSchema(ctx.business.country, false);
  const { batchSize: configured, maxRows } = importLimits(deps.config);
  const batchSize = Math.min(configured, 200);
  const source = readRows(
    storedFile(deps.config, record.storedName ?? ""),
    {
      format: record.format ?? "csv",
      delimiter: settings.delimiter,
      sheetPart: settings.sheetPart,
    },
    batchSize,
  );
  let header = false;
  let consumed = 0;
  const checkpoint = record.processedRows;
  let counts: Counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
  let errors: { sourceRow: number; kind: "invalid"; rowValues: string; messages: string }[] = [];
  let pending: Array<{ changes: LeadChanges; rowNumber: number; rowValues: string }> = [];

  /** The rows read since the last flush, new leads in one go (see createLeadsInBulk). */
  const writePending = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    let outcomes: BulkOutcome[] | null = null;
    try {
      outcomes = await createLeadsInBulk(
        deps,
        ctx,
        batch.map((p) => p.changes),
        { importId: record.id, roundRobin: handsOut(ctx) },
      );
    } catch (error) {
      // Another writer took a phone or e-mail meanwhile: this batch row by row instead.
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
    for (const [i, row] of batch.entries()) {
      const outcome = outcomes?.[i];
      const fillOnly = settings.update.fillOnly;
      if (!outcome) counts[await writeRow(deps, ctx, record, row.changes, fillOnly)]++;
      else if (outcome.kind === "created") counts.created++;
      else if (outcome.kind === "duplicate")
        counts[await onDuplicate(deps, ctx, record, row.changes, fillOnly)]++;
      else {
        counts.failed++;
        errors.push({
          sourceRow: row.rowNumber,
          kind: "invalid",
          rowValues: row.rowValues,
          messages: JSON.stringify(outcome.messages),
        });
      }
    }
  };

  const flush = async (): Promise<boolean> => {
    await writePending();
    const now = deps.clock.now();
    const done = await deps.sequelize.transaction(async (transaction) => {
      // Still this runner's? Read, not the UPDATE's count: MySQL counts 0 for an UPDATE writing
      // the same values (the last flush of a file whose rows end on a batch boundary).
      const sql = tenantSql(deps, businessScope(record.businessId), transaction);
      const holder = await sql.select<{ n: number }>`
        SELECT COUNT(*) AS n FROM imports WHERE ${sql.scoped("imports")}
          AND id = ${record.id} AND lease_owner = ${owner}`;
      if (Number(holder[0]?.n ?? 0) !== 1) return false;
      await sql.run`UPDATE imports SET processed_rows = ${consumed},
          created_count = created_count + ${counts.created},
          updated_count = updated_count + ${counts.updated},
          skipped_count = skipped_count + ${counts.skipped},
          failed_count = failed_count + ${counts.failed}, updated_at = ${now}
        WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}`;
      if (errors.length)
        await deps.models.ImportRowError.bulkCreate(
          errors.map((e) => ({ ...e, businessId: record.businessId, importId: record.id })),
          { transaction },
        );
      return true;
    });
    counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
    errors = [];
    return done;
  };

  for await (const rows of source) {
    for (const row of rows) {
      if (!header) {
        header = !isBlank(row.cells);
        continue;
      }
      consumed++;
      if (consumed > maxRows)
        throw new AppError(
          "validation_failed",
          `The file has more than ${maxRows} rows, the most one import takes.`,
        );
      if (consumed <= checkpoint) continue;
      const parsed = schema.safeParse(rowBody(row.cells, mapping));
      if (!parsed.success) {
        counts.failed++;
        errors.push({
          sourceRow: row.rowNumber,
          kind: "invalid",
          rowValues: JSON.stringify(row.cells.map(cellText)),
          messages: JSON.stringify([...new Set(parsed.error.issues.map((i) => i.message))]),
        });
        continue;
      }
      pending.push({
        changes: parsed.data,
        rowNumber: row.rowNumber,
        rowValues: JSON.stringify(row.cells.map(cellText)),
      });
      if ((consumed - checkpoint) % batchSize === 0) {
        if (options.lease.lost || !(await flush())) return "lost";
        if (options.signal?.aborted) return "stopped";
      }
    }
  }
  if (options.lease.lost || !(await flush())) return "lost";
  return "done";
}

import { pipeline } from "node:stream/promises";
import type { Response } from "express";
import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { parseSettings, type StartOptions } from "../../commands/imports/fields";
import {
  isLeadImport,
  leadMappingFromForm,
  startLeadImport,
  type LeadMapping,
} from "../../commands/imports/leadImport";
import { errorReport, errorReportName } from "../../commands/imports/queries";
import { previewRows } from "../../commands/imports/preview";
import { keptAfterRevert } from "../../commands/imports/revertPlan";
import { chooseSheet, discardImport, startImport } from "../../commands/imports/start";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { Import } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { startOptionsSchema, type importParams, type sheetSchema } from "./schema";
import { chosenOptions, importView, mappingFormOf, previewOf } from "./view";

type OneImport = { params: typeof importParams; record: Import };

/** The import a path names, with who uploaded it and who undid it (404 in another business). */
export function loadImport({ deps, ctx, params }: LoadCall<TenantContext, { importId: number }>) {
  return findInBusiness(ctx, deps.models.Import, params.importId, {
    include: [
      { model: deps.models.User, as: "user", attributes: ["id", "name"] },
      { model: deps.models.User, as: "revertedBy", attributes: ["id", "name"] },
    ],
  });
}

async function render(
  { res, deps, ctx }: Pick<PageCall, "res" | "deps" | "ctx">,
  record: Import,
  options: {
    chosen?: StartOptions;
    leadChoice?: { mapping: LeadMapping; mode: string };
    errors?: Record<string, string>;
    status?: number;
  } = {},
) {
  const form =
    record.status === "ready" ? mappingFormOf(record, options.chosen, options.leadChoice) : null;
  const chosen = chosenOptions(record, options.chosen);
  // Leads are checked row by row as they are written: no preview of customer checks for them.
  const leads = isLeadImport(parseSettings(record.settings));
  const rows = form && !leads ? await previewRows(deps, ctx, record, chosen) : null;
  res.status(options.status ?? 200).render("imports/show", {
    title: `Import: ${record.fileName}`,
    item: importView(record, ctx, importLimits(deps.config).revertDays, deps.clock.now()),
    form,
    preview: form ? previewOf(record, rows, chosen.mapping) : null,
    kept: record.status === "reverted" ? await keptAfterRevert(deps, ctx, record) : null,
    errors: options.errors ?? {},
  });
}

/** GET /imports/:importId: mapping and preview, live progress, or the summary. */
export function showImport(call: PageCall<OneImport>) {
  return render(call, call.record);
}

/** GET /imports/:importId/progress: polled by htmx while the import works. */
export function progress({ req, res, deps, ctx, record }: PageCall<OneImport>) {
  const item = importView(record, ctx, importLimits(deps.config).revertDays, deps.clock.now());
  // A finished import reloads the whole page.
  if (!item.working && req.get("HX-Request")) res.set("HX-Refresh", "true");
  res.render("partials/imports/progress", { layout: false, item });
}

/** POST /imports/:importId/preview: the preview again with the mapping being edited. */
export async function preview(call: PageCall<OneImport & { body: typeof startOptionsSchema }>) {
  const { req, res, deps, ctx, body: chosen, record } = call;
  if (record.status !== "ready")
    return redirect(`/imports/${record.id}`, undefined, { status: 303 });
  if (isLeadImport(parseSettings(record.settings))) {
    if (req.get("HX-Request"))
      return res.render("partials/imports/preview", { layout: false, preview: null });
    const body = req.body as Record<string, unknown>;
    const mode = body.mode === "update" ? "update" : "skip";
    return render(call, record, { leadChoice: { mapping: leadMappingFromForm(body), mode } });
  }
  if (req.get("HX-Request")) {
    const rows = await previewRows(deps, ctx, record, chosen);
    const fragment = previewOf(record, rows, chosen.mapping);
    return res.render("partials/imports/preview", { layout: false, preview: fragment });
  }
  return render(call, record, { chosen });
}

/** A start refused (a bad mapping, the plan's limit): the mapping page with what was chosen. */
export function renderStartFailure(call: PageFormCall<OneImport>, failure: FormFailure) {
  const chosen = startOptionsSchema.safeParse(failure.values);
  return render(call, call.record, {
    chosen: chosen.success ? chosen.data : undefined,
    leadChoice: {
      mapping: leadMappingFromForm(failure.values),
      mode: failure.values.mode === "update" ? "update" : "skip",
    },
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /imports/:importId/start */
export async function start({
  deps,
  ctx,
  body,
  record,
  req,
}: PageCall<OneImport & { body: typeof startOptionsSchema }>) {
  const started = isLeadImport(parseSettings(record.settings))
    ? await startLeadImport(deps, ctx, record, {
        mapping: leadMappingFromForm(req.body as Record<string, unknown>),
        mode: body.mode,
        fillOnly: body.update.fillOnly,
      })
    : await startImport(deps, ctx, record, body);
  await enqueueImportWork(deps, started);
  return redirect(`/imports/${record.id}`, undefined, { status: 303 });
}

/** POST /imports/:importId/discard */
export async function discard({ deps, record }: PageCall<OneImport>) {
  await discardImport(deps, record);
  return redirect("/imports", `${record.fileName} was discarded.`, { status: 303 });
}

/** The rows that did not import, as CSV (pages and API alike). */
export async function sendErrorReport(
  { res, deps }: { res: Response; deps: PageCall["deps"] },
  record: Import,
  extraHeaders: Record<string, string> = {},
) {
  res.set({
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${errorReportName(record)}"`,
    ...extraHeaders,
  });
  // pipeline ends the response (as cut short) if the report fails midway.
  await pipeline(errorReport(deps.models, record), res).catch(() => undefined);
}

/** GET /imports/:importId/errors.csv */
export function errorsCsv(call: PageCall<OneImport>) {
  return sendErrorReport(call, call.record, { "X-Content-Type-Options": "nosniff" });
}

/** POST /imports/:importId/sheet: another sheet of a workbook, read again. */
export async function chooseOtherSheet({
  deps,
  body,
  record,
}: PageCall<OneImport & { body: typeof sheetSchema }>) {
  const again = await chooseSheet(deps, record, body.sheet);
  await enqueueImportWork(deps, again);
  return redirect(`/imports/${record.id}`, undefined, { status: 303 });
}

import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { importHistory } from "../../commands/imports/queries";
import { createImport } from "../../commands/imports/start";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import { AppError } from "../../errors";
import { featureLock, hasFeature } from "../../plans/planGate";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";
import { rm } from "node:fs/promises";
import type { historyQuery } from "./schema";
import { receivedUpload, sizeText } from "./upload";
import { importView } from "./view";

/** GET /imports: the business's imports, newest first. */
export async function showHistory({
  res,
  deps,
  ctx,
  query: { page },
}: PageCall<{ query: typeof historyQuery }>) {
  const { revertDays } = importLimits(deps.config);
  const { imports, hasMore } = await importHistory(deps.models, ctx, page);
  res.render("imports/index", {
    title: "Imports",
    imports: imports.map((record) => importView(record, ctx, revertDays, deps.clock.now())),
    canImport: hasFeature(ctx.plan, "imports"),
    importLock: featureLock(ctx.plan, "imports"),
    page,
    previousPage: page > 1 ? page - 1 : null,
    nextPage: hasMore ? page + 1 : null,
    revertDays,
  });
}

/** Whether the member may bring leads in (the leads permission, on a plan with leads). */
function mayImportLeads(ctx: TenantContext): boolean {
  return can(ctx.membership.role, "leads.manage") && hasFeature(ctx.plan, "leads");
}

function renderNew({ req, res, deps, ctx }: PageFormCall, error: string | null, status = 200) {
  const limits = importLimits(deps.config);
  res.status(status).render("imports/new", {
    title: "Import customers",
    maxSize: sizeText(limits.maxBytes),
    maxRows: limits.maxRows.toLocaleString("en"),
    // The token is the form's first field, read with the file (see middleware/csrf.ts).
    action: "/imports",
    csrfToken: csrfToken(req),
    errors: error ? { file: error } : {},
    country: ctx.business.country,
    leads: mayImportLeads(ctx),
    target:
      (req.body as { target?: unknown } | undefined)?.target === "leads" ? "leads" : "customers",
  });
}

/** GET /imports/new */
export function showNew(call: PageCall) {
  renderNew(call, null);
}

/** A refused upload: the form again, saying what was wrong with the file. */
export function renderUploadFailure(call: PageFormCall, failure: FormFailure) {
  const { error } = failure;
  const message = error.id === "payload_too_large" ? error.message : failure.errors.file;
  renderNew(call, message ?? error.message, failure.status);
}

/** POST /imports (multipart): the file is read in the background, then the mapping is shown. */
export async function upload({ req, deps, ctx }: PageCall) {
  // "What the rows become": leads need the leads permission (and plan) as well.
  const leads = (req.body as { target?: unknown } | undefined)?.target === "leads";
  if (leads && !mayImportLeads(ctx)) {
    await rm(receivedUpload(req).path, { force: true });
    throw AppError.validation({
      file: "Your role or plan does not include leads. Import customers instead.",
    });
  }
  const upload = receivedUpload(req);
  const record = await createImport(deps, ctx.business.id, ctx.user.id, upload, {
    target: leads ? "leads" : undefined,
  });
  await enqueueImportWork(deps, record);
  return redirect(`/imports/${record.id}`, undefined, { status: 303 });
}

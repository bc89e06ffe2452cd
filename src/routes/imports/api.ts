import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { createImport } from "../../commands/imports/start";
import type { ApiCall, LoadCall } from "../../http/endpoint";
import { reply } from "../../http/outcomes";
import type { Import } from "../../models";
import { presentImport } from "../../presenters/import";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { sendErrorReport } from "./importPages";
import type { apiUploadSchema, importParams } from "./schema";
import { receivedUpload } from "./upload";

type OneImport = { params: typeof importParams; record: Import };

export function loadImportApi({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { importId: number }>) {
  return findInBusiness(ctx, deps.models.Import, params.importId);
}

function present({ deps, ctx }: Pick<ApiCall, "deps" | "ctx">, record: Import) {
  const item = presentImport(record, {
    revertDays: importLimits(deps.config).revertDays,
    timeZone: ctx.business.timeZone,
  });
  return {
    ...item,
    links: {
      self: `/api/v1/imports/${record.id}`,
      page: `/imports/${record.id}`,
      errorReport: `/api/v1/imports/${record.id}/errors.csv`,
    },
  };
}

/**
 * POST /api/v1/imports: a file (multipart, field "file", options as fields); the import starts as
 * soon as it is read, with the mapping from its headers (or map.<field> fields).
 */
export async function uploadApi(call: ApiCall<{ body: typeof apiUploadSchema }>) {
  const { req, deps, ctx, body } = call;
  const record = await createImport(deps, ctx.business.id, ctx.user.id, receivedUpload(req), body);
  await enqueueImportWork(deps, record);
  return reply(present(call, record), "Import queued: it starts once the file has been read.", {
    status: 202,
  });
}

/** GET /api/v1/imports/:importId: status, progress and counts, for polling. */
export function showApi(call: ApiCall<OneImport>) {
  return reply(present(call, call.record), call.record.status);
}

/** GET /api/v1/imports/:importId/errors.csv */
export function errorsCsvApi(call: ApiCall<OneImport>) {
  return sendErrorReport(call, call.record);
}

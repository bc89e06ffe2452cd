import {
  findSuppression,
  liftSuppression,
  listSuppressions,
} from "../../commands/campaigns/suppressionList";
import type { LoadCall, PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { EmailSuppression } from "../../models";
import { formatDateTime } from "../../lib/dates";
import type { TenantContext } from "../../tenancy/context";
import type { suppressionListQuery, suppressionParams } from "./schema";

/** /settings/email-suppressions: addresses marketing e-mail skips after a hard bounce. */
export const suppressionsBase = "/settings/email-suppressions";

type One = { params: typeof suppressionParams; record: EmailSuppression };

export function loadSuppression({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { emailSuppressionId: number }>): Promise<EmailSuppression> {
  return findSuppression(deps, ctx, params.emailSuppressionId);
}

/** GET /settings/email-suppressions */
export async function showSuppressions({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof suppressionListQuery }>) {
  const q = query.q?.trim() ?? "";
  const { rows, more } = await listSuppressions(deps, ctx, { q, before: query.before });
  const zone = ctx.business.timeZone;
  const last = rows[rows.length - 1];
  res.render("emailSuppressions/index", {
    title: "Suppressed e-mail addresses",
    q,
    filtered: q !== "" || query.before !== undefined,
    rows: rows.map((r) => ({
      ...r,
      when: formatDateTime(r.createdAt, zone),
      campaignHref: r.campaign ? `/campaigns/${r.campaign.id}/results` : null,
      customerHref: r.customer ? `/customers/${r.customer.id}` : null,
      liftHref: `${suppressionsBase}/${r.id}/delete`,
    })),
    olderHref:
      more && last
        ? `${suppressionsBase}?${new URLSearchParams({ ...(q ? { q } : {}), before: String(last.id) })}`
        : null,
    csrfToken: csrfToken(req),
  });
}

/** GET …/:emailSuppressionId/delete — what lifting means, and the button. */
export function confirmLift({ req, res, ctx, record }: PageCall<One>) {
  res.render("emailSuppressions/confirmDelete", {
    title: `Send marketing e-mail to ${record.email} again?`,
    csrfToken: csrfToken(req),
    suppression: {
      email: record.email,
      reason: record.reason,
      when: formatDateTime(record.createdAt, ctx.business.timeZone),
    },
    action: `${suppressionsBase}/${record.id}/delete`,
    cancelUrl: suppressionsBase,
  });
}

/** POST …/:emailSuppressionId/delete */
export async function lift({ deps, ctx, record }: PageCall<One>) {
  await liftSuppression(deps, ctx, record);
  return redirect(suppressionsBase, `${record.email} will receive marketing e-mail again.`);
}

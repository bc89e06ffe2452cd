import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { Form, FormSubmission } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { parseFields } from "./fields";
import { formsAction } from "./forms";
import { storedAnswers } from "./present";
import { answerText } from "./submit";

/** A form's submissions, newest first, `limit + 1` rows before `beforeId` (keyset paging). */
export async function listSubmissions(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  page: { limit: number; beforeId?: number },
): Promise<FormSubmission[]> {
  authorize(ctx, formsAction);
  return deps.models.FormSubmission.findAll({
    where: tenantWhere(ctx, deps.models.FormSubmission, {
      formId: form.id,
      ...(page.beforeId ? { id: { [Op.lt]: page.beforeId } } : {}),
    }),
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

/** A spreadsheet would run a cell starting with = + - @ (or tab/CR) as a formula: quote it. */
function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  const safe = neutralise(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const fixedColumns = [
  "submitted_at",
  "outcome",
  "lead_id",
  "customer_id",
  "ticket_id",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "referrer",
  "landing_page",
];

/**
 * The form's submissions as CSV lines (header first), oldest first, read 500 at a time by id:
 * one column per current field (by label) after the fixed ones, cells neutralised against
 * formula injection.
 */
export async function* submissionsCsv(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
): AsyncGenerator<string> {
  authorize(ctx, formsAction);
  const fields = parseFields(form.fields);
  yield [...fixedColumns, ...fields.map((f) => f.label)].map(csvCell).join(",") + "\r\n";
  let afterId = 0;
  for (;;) {
    const rows = await deps.models.FormSubmission.findAll({
      where: tenantWhere(ctx, deps.models.FormSubmission, {
        formId: form.id,
        id: { [Op.gt]: afterId },
      }),
      order: [["id", "ASC"]],
      limit: 500,
    });
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) {
      const answers = storedAnswers(row);
      const cells = [
        row.createdAt.toISOString(),
        row.outcome,
        row.leadId === null ? "" : String(row.leadId),
        row.customerId === null ? "" : String(row.customerId),
        row.ticketId === null ? "" : String(row.ticketId),
        row.utmSource ?? "",
        row.utmMedium ?? "",
        row.utmCampaign ?? "",
        row.utmTerm ?? "",
        row.utmContent ?? "",
        row.referrer ?? "",
        row.landingPage ?? "",
        ...fields.map((f) => answerText(answers[f.key])),
      ];
      chunk += cells.map(csvCell).join(",") + "\r\n";
    }
    yield chunk;
    afterId = rows[rows.length - 1]?.id ?? afterId;
  }
}

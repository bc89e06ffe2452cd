import { parseFields } from "../../commands/forms/fields";
import { presentForm, presentSubmission } from "../../commands/forms/present";
import { listForms } from "../../commands/forms/forms";
import { listSubmissions, submissionsCsv } from "../../commands/forms/submissions";
import type { ApiCall, PageCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf, pageInMemory } from "../../http/pagination";
import { formatDateTime } from "../../lib/dates";
import type { Form } from "../../models";
import type {
  apiFormListSchema,
  apiSubmissionListSchema,
  formParams,
  submissionPageSchema,
} from "./schema";

type OneForm = { params: typeof formParams; record: Form };

const outcomeLabels = {
  received: "Being processed",
  created_lead: "New lead",
  attached_lead: "Existing lead",
  attached_customer: "Existing customer",
  ticket: "Ticket",
} as const;

const pageSize = 25;

/** GET /forms/:formId/submissions: newest first, 25 a page, each with where it went. */
export async function showSubmissions({
  res,
  deps,
  ctx,
  query,
  record: form,
}: PageCall<OneForm & { query: typeof submissionPageSchema }>) {
  const rows = await listSubmissions(deps, ctx, form, { limit: pageSize, beforeId: query.before });
  const { rows: items } = pageOf(rows, pageSize, (last) => ({ id: last.id }));
  const fields = parseFields(form.fields);
  const zone = ctx.business.timeZone;
  const last = items[items.length - 1];
  res.render("forms/submissions", {
    title: `Submissions · ${form.title}`,
    form: {
      id: form.id,
      title: form.title,
      submissions: Number(form.submissionCount),
      spam: Number(form.spamCount),
    },
    submissions: items.map((row) => {
      const shown = presentSubmission(row, fields);
      return {
        ...shown,
        when: formatDateTime(row.createdAt, zone),
        outcomeLabel: outcomeLabels[row.outcome],
        link: row.leadId
          ? `/leads/${row.leadId}`
          : row.customerId
            ? `/customers/${row.customerId}`
            : row.ticketId
              ? `/tickets/${row.ticketId}`
              : null,
        answers: shown.answers.map((a) => ({
          label: a.label,
          text:
            typeof a.answer === "boolean"
              ? a.answer
                ? "Yes"
                : "No"
              : Array.isArray(a.answer)
                ? a.answer.join(", ")
                : a.answer,
        })),
        utm: [row.utmSource, row.utmMedium, row.utmCampaign].filter(Boolean).join(" / "),
      };
    }),
    olderUrl:
      rows.length > pageSize && last ? `/forms/${form.id}/submissions?before=${last.id}` : null,
    firstPage: !query.before,
  });
}

/** GET /forms/:formId/submissions.csv: every submission, streamed a batch at a time. */
export async function exportSubmissions({ req, res, deps, ctx, record: form }: PageCall<OneForm>) {
  const day = deps.clock.now().toISOString().slice(0, 10);
  res.setHeader("Content-Type", "text/csv; charset=utf-8");
  res.setHeader(
    "Content-Disposition",
    `attachment; filename="form-${form.id}-submissions-${day}.csv"`,
  );
  for await (const chunk of submissionsCsv(deps, ctx, form)) {
    if (req.destroyed) return;
    res.write(chunk);
  }
  res.end();
}

/** GET /api/v1/forms: the business's forms, newest first, by cursor. */
export async function listFormsApi({
  deps,
  ctx,
  query,
}: ApiCall<{ query: typeof apiFormListSchema }>) {
  const forms = await listForms(deps, ctx);
  const { rows, nextCursor } = pageInMemory(forms, query, (form) => form.id);
  return page(rows.map(presentForm), nextCursor, `${rows.length} form(s).`);
}

/** GET /api/v1/forms/:formId */
export function showFormApi({ record: form }: ApiCall<OneForm>) {
  return reply(presentForm(form), "Form.");
}

/** GET /api/v1/forms/:formId/submissions: newest first, by cursor. */
export async function listSubmissionsApi({
  deps,
  ctx,
  query,
  record: form,
}: ApiCall<OneForm & { query: typeof apiSubmissionListSchema }>) {
  const beforeId = query.cursor ? decodeCursor(idPosition, query.cursor).id : undefined;
  const rows = await listSubmissions(deps, ctx, form, { limit: query.limit, beforeId });
  const { rows: items, nextCursor } = pageOf(rows, query.limit, (last) => ({ id: last.id }));
  const fields = parseFields(form.fields);
  return page(
    items.map((row) => presentSubmission(row, fields)),
    nextCursor,
    `${items.length} submission(s).`,
  );
}

import type { Form, FormField, FormSubmission } from "../../models";
import { parseFields } from "./fields";

/** Parsed answers of a stored submission (an unreadable row reads as none). */
export function storedAnswers(submission: Pick<FormSubmission, "answers">) {
  try {
    const parsed: unknown = JSON.parse(submission.answers);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, string | string[] | boolean>)
      : {};
  } catch {
    return {};
  }
}

/** A form as the API and webhooks show it. */
export function presentForm(form: Form) {
  return {
    id: form.id,
    slug: form.slug,
    kind: form.kind,
    status: form.status,
    title: form.title,
    description: form.description,
    fields: parseFields(form.fields),
    successMessage: form.successMessage,
    redirectUrl: form.redirectUrl,
    color: form.color,
    source: form.source,
    campaignName: form.campaignName,
    assignment: form.assignment,
    assigneeId: form.assigneeId,
    submissionCount: Number(form.submissionCount),
    spamCount: Number(form.spamCount),
    publicPath: `/f/${form.slug}`,
    publishedAt: form.publishedAt ? form.publishedAt.toISOString() : null,
    createdAt: form.createdAt.toISOString(),
    updatedAt: form.updatedAt.toISOString(),
  };
}

/** A submission's campaign attribution (UTM, referrer, landing page), as its lead keeps it too. */
export function attributionOf(submission: FormSubmission) {
  return {
    utmSource: submission.utmSource,
    utmMedium: submission.utmMedium,
    utmCampaign: submission.utmCampaign,
    utmTerm: submission.utmTerm,
    utmContent: submission.utmContent,
    referrer: submission.referrer,
    landingPage: submission.landingPage,
  };
}

/** A submission with its answers labelled by the form's current fields (removed ones by key). */
export function presentSubmission(submission: FormSubmission, fields: FormField[]) {
  const answers = storedAnswers(submission);
  const labels = new Map(fields.map((f) => [f.key, f.label]));
  return {
    id: submission.id,
    formId: submission.formId,
    outcome: submission.outcome,
    leadId: submission.leadId,
    customerId: submission.customerId,
    ticketId: submission.ticketId,
    answers: Object.entries(answers).map(([key, answer]) => ({
      key,
      label: labels.get(key) ?? key,
      answer,
    })),
    ...attributionOf(submission),
    createdAt: submission.createdAt.toISOString(),
  };
}

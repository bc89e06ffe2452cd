import type { CreationAttributes } from "sequelize";
import { buildLead } from "./factoriesLeads";
import { followUpJobId } from "../src/commands/forms/submit";
import type { Deps } from "../src/deps";
import { starterFields } from "../src/commands/forms/fields";
import type { Business, Form, FormField, FormSubmission, Models } from "../src/models";

let counter = 0;

/**
 * A published lead form of `business` with the starter fields (f1 name → full name, f2 e-mail
 * required, f3 phone, f4 message, f5 consent) unless `fields` are given; a unique slug each time.
 */
export async function buildForm(
  models: Models,
  business: Business,
  overrides: Partial<Omit<CreationAttributes<Form>, "fields">> & { fields?: FormField[] } = {},
): Promise<Form> {
  counter += 1;
  const { fields, ...rest } = overrides;
  const now = new Date("2026-12-01T00:00:00Z");
  return models.Form.create({
    businessId: business.id,
    slug: `test-form-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    kind: "lead",
    status: "published",
    title: "Book a free demo",
    description: "Tell us about your business.",
    fields: JSON.stringify(fields ?? starterFields()),
    successMessage: "Thanks! We will call you soon.",
    redirectUrl: null,
    campaignName: "Launch Sprint 2025",
    assigneeId: null,
    createdById: business.ownerId,
    publishedAt: now,
    createdAt: now,
    updatedAt: now,
    ...rest,
  });
}

/** The hidden token of a rendered public form page. */
export function formTokenFrom(html: string): string {
  const match = /name="_form_token" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no form token on the page");
  return match[1];
}

/**
 * A submission of a new lead as a public POST leaves it: the lead saved unowned and the
 * submission's follow-up owed (processed_at empty), on a published form of `business`.
 */
export async function buildOwedSubmission(
  models: Models,
  business: Business,
  overrides: { form?: Form; email?: string; createdAt?: Date } = {},
): Promise<FormSubmission> {
  const form = overrides.form ?? (await buildForm(models, business));
  counter += 1;
  const email =
    overrides.email ?? `owed-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const lead = await buildLead(models, business, {
    firstName: "Owed",
    email,
    ownerId: null,
    createdById: null,
    source: form.source,
    answers: JSON.stringify({ f2: email }),
  });
  return models.FormSubmission.create({
    businessId: business.id,
    formId: form.id,
    outcome: "created_lead",
    leadId: lead.id,
    customerId: null,
    ticketId: null,
    answers: JSON.stringify({ f2: email }),
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    referrer: null,
    landingPage: null,
    // A test on a fixed clock says when; Sequelize would take the wall clock's now.
    ...(overrides.createdAt
      ? { createdAt: overrides.createdAt, updatedAt: overrides.createdAt }
      : {}),
  });
}

/**
 * Waits until every submission of the form has had its follow-up (the job runs after the POST):
 * claimed in the database, and its job finished (the notification comes after the commit).
 */
export async function followedUp(
  deps: Pick<Deps, "models" | "jobs">,
  formId: number,
  // Generous (the job shares two loaded cores with other test files), yet inside jest's 60 s so a
  // stuck follow-up reports its job's state rather than a bare timeout.
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const submissions = await deps.models.FormSubmission.findAll({
      where: { formId },
      attributes: ["id", "processedAt"],
    });
    const owed: string[] = [];
    for (const s of submissions) {
      const state = await deps.jobs.state("follow-up-form-submission", followUpJobId(s.id));
      if (s.processedAt === null || (state !== "completed" && state !== "unknown"))
        owed.push(`#${s.id} ${s.processedAt === null ? "unprocessed" : "processed"}, job ${state}`);
    }
    if (owed.length === 0) return;
    if (performance.now() > deadline)
      throw new Error(`form follow-ups still owed: ${owed.join("; ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { runAgainOnConflict } from "../../db/runAgain";
import type { Form, FormSubmission, Lead } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { insertCapturedLead } from "../leads/captured";
import { leadFieldsOf } from "./answers";
import { parseFields } from "./fields";
import { attributionOf, storedAnswers } from "./present";

type Found =
  { outcome: "attached_lead"; id: number } | { outcome: "attached_customer"; id: number };

interface ContactRow {
  kind: "lead" | "customer";
  id: number | string;
}

/**
 * The lead, else the customer, with the submission's phone or e-mail (whole business), in one
 * statement. Each branch reads one index — (business_id, phone_e164) or (business_id, email) of
 * either table — instead of an OR the optimizer may answer by reading every row of the business.
 */
export async function existingContact(
  deps: Pick<Deps, "sequelize">,
  businessId: number,
  contact: { email?: string | null; phoneE164?: string | null },
  transaction?: Transaction,
): Promise<Found | null> {
  const phone = contact.phoneE164 ?? null;
  const email = contact.email ?? null;
  if (!phone && !email) return null;
  const sql = tenantSql(deps, businessScope(businessId), transaction);
  const rows = await sql.select<ContactRow>`
    SELECT 'lead' AS kind, l.id FROM leads l WHERE ${sql.scoped("l")} AND l.phone_e164 = ${phone}
    UNION ALL
    SELECT 'lead' AS kind, l.id FROM leads l WHERE ${sql.scoped("l")} AND l.email = ${email}
    UNION ALL
    SELECT 'customer' AS kind, c.id FROM customers c
     WHERE ${sql.scoped("c")} AND c.phone_e164 = ${phone}
    UNION ALL
    SELECT 'customer' AS kind, c.id FROM customers c WHERE ${sql.scoped("c")} AND c.email = ${email}`;
  // The oldest lead first (a phone on one lead and the e-mail on another: the first one made).
  const first = (kind: ContactRow["kind"]) =>
    rows
      .filter((r) => r.kind === kind)
      .map((r) => Number(r.id))
      .sort((a, b) => a - b)[0];
  const lead = first("lead");
  if (lead !== undefined) return { outcome: "attached_lead", id: lead };
  const customer = first("customer");
  return customer !== undefined ? { outcome: "attached_customer", id: customer } : null;
}

/**
 * Runs a submission step again after a conflict the database rolled back (see runAgainOnConflict),
 * or after a unique phone or e-mail was lost to a simultaneous submission of the same person: the
 * next run finds that lead and attaches.
 */
export function again<T>(step: () => Promise<T>): Promise<T> {
  return runAgainOnConflict(step, { alsoWhen: (error) => error instanceof UniqueConstraintError });
}

/**
 * A received lead-form submission becomes a lead, or attaches to the lead or customer with its
 * phone or e-mail — inside the follow-up's transaction, after its claim: the lookup and the
 * INSERT are one unit, so two submissions of one person make one lead (the second run loses the
 * unique index, is run again by `again` and attaches). The submission row is updated with what
 * it became, and so is `submission` itself; the new lead is returned (null when it attached). A
 * submission already resolved (a support form's ticket) is left as it is.
 */
export async function resolveSubmission(
  deps: Deps,
  form: Form,
  submission: FormSubmission,
  transaction: Transaction,
): Promise<Lead | null> {
  if (submission.outcome !== "received") return null;
  const answers = storedAnswers(submission);
  const person = leadFieldsOf(parseFields(form.fields), answers);
  const found = await existingContact(deps, form.businessId, person, transaction);
  const lead = found ? null : await newLead(deps, form, submission, person, answers, transaction);
  const resolved = found
    ? {
        outcome: found.outcome,
        leadId: found.outcome === "attached_lead" ? found.id : null,
        customerId: found.outcome === "attached_customer" ? found.id : null,
      }
    : { outcome: "created_lead" as const, leadId: lead?.id ?? null, customerId: null };
  const { FormSubmission } = deps.models;
  await FormSubmission.update(resolved, {
    where: tenantWhere(businessScope(form.businessId), FormSubmission, { id: submission.id }),
    transaction,
  });
  submission.set(resolved);
  submission.changed("outcome", false);
  submission.changed("leadId", false);
  submission.changed("customerId", false);
  return lead;
}

function newLead(
  deps: Deps,
  form: Form,
  submission: FormSubmission,
  person: ReturnType<typeof leadFieldsOf>,
  answers: ReturnType<typeof storedAnswers>,
  transaction: Transaction,
) {
  return insertCapturedLead(
    deps,
    form.businessId,
    {
      ...person,
      source: form.source,
      campaignName: form.campaignName,
      ...attributionOf(submission),
    },
    answers,
    submission.createdAt,
    transaction,
  );
}

import { customerDetails } from "../../commands/customers/details";
import { listCustomers } from "../../commands/customers/list";
import { memberOptions } from "../../commands/customers/options";
import { mergeCustomers, mergeableFields, type MergeChoice } from "../../commands/customers/merge";
import type { PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { Customer } from "../../models";
import { presentCustomer } from "../../presenters/customer";
import { findInBusiness } from "../../tenancy/scope";
import type { customerParams, mergeQuerySchema, mergeSchema } from "./schema";

const labels: Record<(typeof mergeableFields)[number], string> = {
  name: "Name",
  email: "E-mail",
  phoneE164: "Phone",
  whatsappE164: "WhatsApp",
  consentAt: "Consent date",
  birthDate: "Date of birth",
  anniversary: "Anniversary",
  ownerId: "Owner",
};

type Survivor = { params: typeof customerParams; record: Customer };

/** A merge posted without a duplicate goes back to choosing one. */
export function backToPick({ record: survivor }: PageFormCall<Survivor>): string {
  return `/customers/${survivor.id}/merge`;
}

/**
 * GET /customers/:customerId/merge: first pick the duplicate (its likely duplicates, or a search),
 * then choose, field by field, which value survives.
 */
export async function showMerge({
  res,
  req,
  deps,
  ctx,
  query,
  record: survivor,
}: PageCall<Survivor & { query: typeof mergeQuerySchema }>) {
  const { duplicateId, q } = query;
  if (!duplicateId) {
    const candidates = q
      ? (await listCustomers(deps, ctx, { q }, { sort: "name", size: 10 })).rows
      : (await customerDetails(deps, ctx, survivor)).duplicates;
    res.render("customers/merge-pick", {
      title: `Merge into ${survivor.name}`,
      survivor: presentCustomer(survivor),
      q,
      candidates: candidates.filter((c) => c.id !== survivor.id).map((c) => presentCustomer(c)),
    });
    return;
  }
  const duplicate = await findInBusiness(ctx, deps.models.Customer, duplicateId);
  const members = new Map((await memberOptions(deps, ctx)).map((m) => [m.id, m.name]));
  const a = presentCustomer(survivor);
  const b = presentCustomer(duplicate);
  const shown = (field: (typeof mergeableFields)[number], c: typeof a) => {
    const value = {
      name: c.name,
      email: c.email,
      phoneE164: c.phoneDisplay,
      whatsappE164: c.whatsappDisplay,
      consentAt: c.consentAt,
      birthDate: c.birthDateDisplay,
      anniversary: c.anniversaryDisplay,
      ownerId: c.ownerId ? (members.get(c.ownerId) ?? null) : null,
    }[field];
    return value ?? "—";
  };
  res.render("customers/merge", {
    title: `Merge ${duplicate.name} into ${survivor.name}`,
    csrfToken: csrfToken(req),
    survivor: a,
    duplicate: b,
    rows: mergeableFields.map((field) => ({
      field,
      label: labels[field],
      survivorValue: shown(field, a),
      duplicateValue: shown(field, b),
      // Default: keep the survivor's value unless it is empty.
      pickDuplicate: shown(field, a) === "—" && shown(field, b) !== "—",
    })),
  });
}

/** POST /customers/:customerId/merge: the duplicate, also of this business, is folded in. */
export async function merge({
  deps,
  ctx,
  body,
  record: survivor,
}: PageCall<Survivor & { body: typeof mergeSchema }>) {
  const duplicate = await findInBusiness(ctx, deps.models.Customer, body.duplicateId);
  const { duplicateId: _ignored, ...choice } = body;
  const picked: MergeChoice = choice;
  await mergeCustomers(deps, ctx, survivor, duplicate, picked);
  return redirect(
    `/customers/${survivor.id}`,
    `${duplicate.name} was merged into ${survivor.name}.`,
  );
}

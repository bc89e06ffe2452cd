import { Op } from "sequelize";
import { AppError } from "../../errors";
import { monthDay } from "../../lib/dates";
import type { Customer } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { searchColumns } from "./input";
import { trackedFields } from "./writes";
import { recordEvents } from "./timeline";

/** Fields a merge lets the user pick from either record: the ones a person edits. */
export const mergeableFields = trackedFields;
export type MergeableField = (typeof mergeableFields)[number];
export type MergeChoice = Partial<Record<MergeableField, "survivor" | "duplicate">>;

/**
 * Folds `duplicate` into `survivor`: chosen values win, tags are united, and notes, tasks and the
 * timeline move to the survivor; the duplicate is deleted. One transaction.
 */
export async function mergeCustomers(
  deps: Deps,
  ctx: TenantContext,
  survivor: Customer,
  duplicate: Customer,
  choice: MergeChoice,
): Promise<Customer> {
  authorize(ctx, "customers.manage");
  if (survivor.id === duplicate.id)
    throw AppError.validation({ duplicateId: "Choose a different customer to merge." });
  const { models } = deps;
  const businessId = ctx.business.id;
  const values: Record<string, unknown> = {};
  for (const field of mergeableFields) {
    const fromDuplicate = choice[field] === "duplicate";
    const picked = fromDuplicate ? duplicate.get(field) : survivor.get(field);
    // An empty value on the survivor is filled from the duplicate unless told otherwise.
    values[field] = picked ?? (choice[field] ? picked : duplicate.get(field));
  }
  const name = String(values.name);
  const phoneE164 = String(values.phoneE164);
  return deps.sequelize.transaction(async (transaction) => {
    const moved = { customerId: survivor.id };
    const from = { businessId, customerId: duplicate.id };
    await models.Note.update(moved, { where: from, transaction });
    await models.TimelineEvent.update(moved, { where: from, transaction });
    await models.Task.update(moved, { where: from, transaction });
    await deps.sequelize.query(
      `INSERT INTO customer_tags (customer_id, tag_id, business_id)
       SELECT :survivorId, tag_id, business_id FROM customer_tags d
       WHERE d.business_id = :businessId AND d.customer_id = :duplicateId
         AND NOT EXISTS (SELECT 1 FROM customer_tags s
           WHERE s.customer_id = :survivorId AND s.tag_id = d.tag_id)`,
      {
        replacements: { survivorId: survivor.id, duplicateId: duplicate.id, businessId },
        transaction,
      },
    );
    // The duplicate goes first: the survivor may take its phone, which is unique per business.
    await models.Customer.destroy({ where: { id: duplicate.id, businessId }, transaction });
    await models.Business.decrement("customerCount", {
      by: 1,
      where: { id: businessId },
      transaction,
    });
    await survivor.update(
      {
        ...values,
        birthdayMd: values.birthDate ? monthDay(String(values.birthDate)) : null,
        anniversaryMd: values.anniversary ? monthDay(String(values.anniversary)) : null,
        ...searchColumns(name, phoneE164),
      },
      { transaction },
    );
    await recordEvents(
      models,
      { businessId, actorId: ctx.user.id },
      [
        {
          customerId: survivor.id,
          kind: "merged",
          details: {
            mergedId: duplicate.id,
            mergedName: duplicate.name,
            mergedPhone: duplicate.phoneE164,
          },
        },
      ],
      transaction,
    );
    return survivor;
  });
}

/** Customers that look like duplicates of `customer`: same e-mail or same name. */
export async function likelyDuplicates(
  deps: Deps,
  ctx: TenantContext,
  customer: Customer,
): Promise<Customer[]> {
  const or: Record<string, unknown>[] = [{ nameKey: customer.nameKey }];
  if (customer.email) or.push({ email: customer.email });
  return deps.models.Customer.findAll({
    where: tenantWhere(ctx, deps.models.Customer, { id: { [Op.ne]: customer.id }, [Op.or]: or }),
    limit: 10,
  });
}

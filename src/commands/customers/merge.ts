import { Op } from "sequelize";
import { AppError } from "../../errors";
import { monthDay } from "../../lib/dates";
import type { Customer } from "../../models";
import { ownerFor } from "../../policies/customers";
import { authorize, type TenantContext } from "../../tenancy/context";
import { ownBusiness, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import { presentCustomer } from "../../presenters/customer";
import { publishBulkCustomerChanges } from "../../webhooks/customerEvents";
import { publishEvent } from "../../webhooks/publish";
import { searchColumns } from "./input";
import { trackedFields } from "./writes";
import { recordEvents } from "./timeline";
import { countsChanged } from "../dashboard/versions";

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
  const values: Record<string, unknown> = {};
  for (const field of mergeableFields) {
    const fromDuplicate = choice[field] === "duplicate";
    const picked = fromDuplicate ? duplicate.get(field) : survivor.get(field);
    // An empty value on the survivor is filled from the duplicate unless told otherwise.
    values[field] = picked ?? (choice[field] ? picked : duplicate.get(field));
  }
  // Keeping the duplicate's owner changes the survivor's: the owner rule of every write.
  const pickedOwner = values.ownerId;
  values.ownerId = ownerFor(
    ctx,
    survivor.ownerId,
    typeof pickedOwner === "number" ? pickedOwner : null,
  );
  const name = String(values.name);
  const phoneE164 = String(values.phoneE164);
  return deps.sequelize.transaction(async (transaction) => {
    const moved = { customerId: survivor.id };
    // Everything of the duplicate moves, tasks other members were given included: the member
    // may see both customers, and nothing of theirs may be lost with the duplicate.
    const from = { customerId: duplicate.id };
    const whole = { wholeBusiness: true };
    await models.Note.update(moved, { where: tenantWhere(ctx, models.Note, from), transaction });
    await models.TimelineEvent.update(moved, {
      where: tenantWhere(ctx, models.TimelineEvent, from),
      transaction,
    });
    await models.Task.update(moved, {
      where: tenantWhere(ctx, models.Task, from, whole),
      transaction,
    });
    const sql = tenantSql(deps, ctx, transaction);
    await sql.run`
      INSERT INTO customer_tags (customer_id, tag_id, business_id)
      SELECT ${survivor.id}, tag_id, ${sql.businessId} FROM customer_tags d
      WHERE ${sql.scoped("d")} AND d.customer_id = ${duplicate.id}
        AND NOT EXISTS (SELECT 1 FROM customer_tags s
          WHERE ${sql.scoped("s")} AND s.customer_id = ${survivor.id} AND s.tag_id = d.tag_id)`;
    // The duplicate goes first: the survivor may take its phone, which is unique per business.
    await models.Customer.destroy({
      where: tenantWhere(ctx, models.Customer, { id: duplicate.id }),
      transaction,
    });
    await models.Business.decrement("customerCount", {
      by: 1,
      where: ownBusiness(ctx),
      transaction,
    });
    await countsChanged(deps, ctx, "customers", transaction);
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
      deps,
      ctx,
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
    // Receivers hear of both sides: the duplicate is gone, the survivor took its data.
    await publishEvent(
      deps,
      ctx,
      "customer.deleted",
      { ...presentCustomer(duplicate), mergedInto: survivor.id },
      { transaction },
    );
    await publishBulkCustomerChanges(
      deps,
      ctx,
      [survivor.id],
      { mergedId: duplicate.id },
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

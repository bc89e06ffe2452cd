import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import { AppError } from "../../errors";
import { monthDay } from "../../lib/dates";
import type { Customer, Models } from "../../models";
import { assertWithinLimit } from "../../plans/planGate";
import { mayOpenCustomer, ownerFor, type Member, type OwnerTarget } from "../../policies/customers";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, ownBusiness, tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { presentCustomer } from "../../presenters/customer";
import { publishEvent, wantsEvent } from "../../webhooks/publish";
import { searchColumns, type CustomerInput } from "./input";
import { attachTags, detachTags, ensureTags } from "./tags";
import { countsChanged } from "../dashboard/versions";
import { recordEvents, type TimelineEntry } from "./timeline";

/**
 * The table columns customerColumns() fills, in one order, for raw multi-row INSERTs (the importer
 * and the benchmark seed) that bypass the model for speed.
 */
export const customerRowColumns = [
  "name",
  "name_key",
  "name_tail",
  "email",
  "phone_e164",
  "phone_national",
  "phone_reversed",
  "whatsapp_e164",
  "consent_at",
  "birth_date",
  "anniversary",
  "birthday_md",
  "anniversary_md",
  "created_at",
  "updated_at",
] as const;

/** The stored columns of a customer, search columns included. */
export function customerColumns(input: CustomerInput) {
  return {
    name: input.name,
    email: input.email,
    phoneE164: input.phoneE164,
    whatsappE164: input.whatsappE164,
    consentAt: input.consentAt,
    birthDate: input.birthDate,
    anniversary: input.anniversary,
    birthdayMd: input.birthDate ? monthDay(input.birthDate) : null,
    anniversaryMd: input.anniversary ? monthDay(input.anniversary) : null,
    ...searchColumns(input.name, input.phoneE164),
  };
}

/**
 * The 409 of a phone number already in the business. Members who may open that customer get its
 * name and a link; members limited to their own records learn only that a colleague has it and
 * whom to ask — no id, URL or name, or the form would tell them who owns any number they type.
 */
export function duplicatePhone(
  member: Member,
  existing: { id: number; name: string; ownerId: number | null },
): AppError {
  if (!mayOpenCustomer(member, existing))
    return new AppError(
      "conflict",
      "This phone number belongs to a customer of another team member. Ask an owner, admin or manager to reassign that customer to you.",
      { field: "phone" },
    );
  return new AppError(
    "conflict",
    `A customer with this phone number already exists: ${existing.name}.`,
    { field: "phone", customerId: existing.id, url: `/customers/${existing.id}` },
  );
}

/** Phone numbers are unique per business, so the check sees every customer of it (sales too). */
async function assertPhoneFree(
  models: Models,
  ctx: TenantContext,
  phoneE164: string,
  exceptId: number | null,
  transaction: Transaction,
): Promise<void> {
  const existing = await models.Customer.findOne({
    where: tenantWhere(
      ctx,
      models.Customer,
      { phoneE164, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) },
      { wholeBusiness: true },
    ),
    attributes: ["id", "name", "ownerId"],
    transaction,
  });
  if (existing) throw duplicatePhone(ctx, existing);
}

/** Throws 422 unless `userId` is a member of the business (a customer's owner must be one). */
export async function assertMember(deps: Pick<Deps, "models">, ctx: TenantContext, userId: number) {
  const member = await deps.models.Membership.count({
    where: tenantWhere(ctx, deps.models.Membership, { userId }),
  });
  if (!member) throw AppError.validation({ ownerId: "Choose a member of this business." });
}

/** The owner after a create or edit (policies/customers.ts), checked to be a member. */
async function ownerAfter(
  deps: Deps,
  ctx: TenantContext,
  target: OwnerTarget,
  wanted: number | null,
): Promise<number | null> {
  const ownerId = ownerFor(ctx, target, wanted);
  const unchanged = ownerId === (target === "new" ? ctx.user.id : target);
  if (ownerId !== null && !unchanged) await assertMember(deps, ctx, ownerId);
  return ownerId;
}

/** A unique-index race lost to another request reads as the same friendly 409. */
export async function translateDuplicate<T>(
  models: Models,
  ctx: TenantContext,
  phoneE164: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const existing = await models.Customer.findOne({
      where: tenantWhere(ctx, models.Customer, { phoneE164 }, { wholeBusiness: true }),
      attributes: ["id", "name", "ownerId"],
    });
    throw existing ? duplicatePhone(ctx, existing) : error;
  }
}

/**
 * Creates a customer in its own transaction, or in `outer` when given (a lead's conversion makes
 * the customer and the deal together: either both exist afterwards or neither).
 */
export async function createCustomer(
  deps: Deps,
  ctx: TenantContext,
  input: CustomerInput,
  outer?: Transaction,
): Promise<Customer> {
  authorize(ctx, "customers.manage");
  const ownerId = await ownerAfter(deps, ctx, "new", input.ownerId);
  const inTransaction = <T>(work: (transaction: Transaction) => Promise<T>) =>
    outer ? work(outer) : deps.sequelize.transaction(work);
  return translateDuplicate(deps.models, ctx, input.phoneE164, () =>
    inTransaction(async (transaction) => {
      const business = await deps.models.Business.findOne({
        where: ownBusiness(ctx),
        attributes: ["id", "customerCount"],
        transaction,
      });
      assertWithinLimit(ctx.plan, "customers", business?.customerCount ?? 0);
      await assertPhoneFree(deps.models, ctx, input.phoneE164, null, transaction);
      const customer = await deps.models.Customer.create(
        { businessId: ctx.business.id, ownerId, ...customerColumns(input) },
        { transaction },
      );
      const tags = await ensureTags(deps.models, ctx, input.tags, transaction);
      await attachTags(deps.models, ctx, [customer.id], tags, transaction);
      await deps.models.Business.increment("customerCount", {
        by: 1,
        where: ownBusiness(ctx),
        transaction,
      });
      const entries: TimelineEntry[] = [{ customerId: customer.id, kind: "created" }];
      if (tags.length)
        entries.push({ customerId: customer.id, kind: "tagged", details: { tags: input.tags } });
      await recordEvents(deps, ctx, entries, transaction);
      // In the same transaction: the event is recorded exactly when the customer is.
      await publishEvent(
        deps,
        ctx,
        "customer.created",
        presentCustomer(customer, [...input.tags].sort()),
        { transaction },
      );
      return customer;
    }),
  );
}

/** The fields a person edits: changes to them go on the timeline, and a merge picks each. */
export const trackedFields = [
  "name",
  "email",
  "phoneE164",
  "whatsappE164",
  "consentAt",
  "birthDate",
  "anniversary",
  "ownerId",
] as const;

function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** The tag names of a customer (loaded by the caller through its scope), sorted. */
export async function currentTagNames(
  models: Models,
  customer: Pick<Customer, "id" | "businessId">,
  transaction?: Transaction,
) {
  const scope = businessScope(customer.businessId);
  const rows = await models.Tag.findAll({
    where: tenantWhere(scope, models.Tag),
    include: [
      {
        model: models.Customer,
        as: "customers",
        where: tenantWhere(scope, models.Customer, { id: customer.id }),
        attributes: [],
      },
    ],
    attributes: ["id", "name"],
    transaction,
  });
  return rows.map((t) => t.name).sort();
}

export async function updateCustomer(
  deps: Deps,
  ctx: TenantContext,
  customer: Customer,
  input: CustomerInput,
): Promise<Customer> {
  authorize(ctx, "customers.manage");
  const ownerId = await ownerAfter(deps, ctx, customer.ownerId, input.ownerId);
  const next = { ...customerColumns(input), ownerId };
  return translateDuplicate(deps.models, ctx, input.phoneE164, () =>
    deps.sequelize.transaction(async (transaction) => {
      await assertPhoneFree(deps.models, ctx, input.phoneE164, customer.id, transaction);
      const changes: Record<string, [string | null, string | null]> = {};
      for (const field of trackedFields) {
        const before = comparable(customer.get(field));
        const after = comparable(next[field]);
        if (before !== after) changes[field] = [before, after];
      }
      const oldTags = await currentTagNames(deps.models, customer, transaction);
      const added = input.tags.filter((t) => !oldTags.includes(t));
      const removed = oldTags.filter((t) => !input.tags.includes(t));
      const tagsAfter = [...new Set(input.tags)].sort();
      // A new owner moves the customer between members' dashboard counts.
      if (customer.ownerId !== ownerId) await countsChanged(deps, ctx, "customers", transaction);
      await customer.update(next, { transaction });
      const tagsToAdd = await ensureTags(deps.models, ctx, added, transaction);
      await attachTags(deps.models, ctx, [customer.id], tagsToAdd, transaction);
      const tagsToRemove = await deps.models.Tag.findAll({
        where: tenantWhere(ctx, deps.models.Tag, { name: { [Op.in]: removed } }),
        transaction,
      });
      await detachTags(deps.models, ctx, [customer.id], tagsToRemove, transaction);
      const entries: TimelineEntry[] = [];
      if (Object.keys(changes).length)
        entries.push({ customerId: customer.id, kind: "updated", details: { changes } });
      if (added.length)
        entries.push({ customerId: customer.id, kind: "tagged", details: { tags: added } });
      if (removed.length)
        entries.push({ customerId: customer.id, kind: "untagged", details: { tags: removed } });
      await recordEvents(deps, ctx, entries, transaction);
      if (entries.length) {
        const tagChanges = added.length || removed.length ? { tags: [oldTags, tagsAfter] } : {};
        await publishEvent(
          deps,
          ctx,
          "customer.updated",
          { ...presentCustomer(customer, tagsAfter), changes: { ...changes, ...tagChanges } },
          { transaction },
        );
      }
      return customer;
    }),
  );
}

/** Deletes the given customers of this business (others' ids are ignored); returns how many. */
export async function deleteCustomers(
  deps: Deps,
  ctx: TenantContext,
  ids: number[],
  transaction?: Transaction,
): Promise<number> {
  authorize(ctx, "customers.manage");
  if (ids.length === 0) return 0;
  const work = async (t: Transaction) => {
    // Loaded only when an endpoint takes the event: a bulk delete may remove thousands.
    const gone = (await wantsEvent(deps, ctx, "customer.deleted", t))
      ? await deps.models.Customer.findAll({
          where: tenantWhere(ctx, deps.models.Customer, { id: { [Op.in]: ids } }),
          transaction: t,
        })
      : [];
    const deleted = await deps.models.Customer.destroy({
      where: tenantWhere(ctx, deps.models.Customer, { id: { [Op.in]: ids } }),
      transaction: t,
    });
    if (deleted > 0) {
      await deps.models.Business.decrement("customerCount", {
        by: deleted,
        where: ownBusiness(ctx),
        transaction: t,
      });
      await countsChanged(deps, ctx, "customers", t);
    }
    for (const customer of gone)
      await publishEvent(deps, ctx, "customer.deleted", presentCustomer(customer), {
        transaction: t,
      });
    return deleted;
  };
  return transaction ? work(transaction) : deps.sequelize.transaction(work);
}

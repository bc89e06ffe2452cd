import { Op, type Transaction } from "sequelize";
import { AppError } from "../../errors";
import type { Models, Tag } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { scopeOf, tenantWhere, type Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import { normaliseTags } from "./input";

/**
 * Tags belong to the business (no owner): the helpers below take any scope of it. Customer ids
 * handed to them were loaded through the caller's scope.
 */

/** The tags named, created when missing (names are already normalised). */
export async function ensureTags(
  models: Models,
  scoped: Scoped,
  names: string[],
  transaction?: Transaction,
): Promise<Tag[]> {
  if (names.length === 0) return [];
  const where = tenantWhere(scoped, models.Tag, { name: { [Op.in]: names } });
  const existing = await models.Tag.findAll({ where, transaction });
  const missing = names.filter((name) => !existing.some((tag) => tag.name === name));
  if (missing.length > 0) {
    const { businessId } = scopeOf(scoped);
    // ignoreDuplicates: a concurrent request creating the same tag is not an error.
    await models.Tag.bulkCreate(
      missing.map((name) => ({ businessId, name })),
      { transaction, ignoreDuplicates: true },
    );
    return models.Tag.findAll({ where, transaction });
  }
  return existing;
}

/** Adds tags to customers (pairs already there are left as they are). */
export async function attachTags(
  models: Models,
  scoped: Scoped,
  customerIds: number[],
  tags: Tag[],
  transaction?: Transaction,
): Promise<void> {
  if (customerIds.length === 0 || tags.length === 0) return;
  const { businessId } = scopeOf(scoped);
  await models.CustomerTag.bulkCreate(
    customerIds.flatMap((customerId) =>
      tags.map((tag) => ({ customerId, tagId: tag.id, businessId })),
    ),
    { transaction, ignoreDuplicates: true },
  );
}

export async function detachTags(
  models: Models,
  scoped: Scoped,
  customerIds: number[],
  tags: Tag[],
  transaction?: Transaction,
): Promise<void> {
  if (customerIds.length === 0 || tags.length === 0) return;
  await models.CustomerTag.destroy({
    where: tenantWhere(scoped, models.CustomerTag, {
      customerId: { [Op.in]: customerIds },
      tagId: { [Op.in]: tags.map((t) => t.id) },
    }),
    transaction,
  });
}

export interface TagWithCount {
  id: number;
  name: string;
  customers: number;
}

/** The tags page: every tag with how many customers carry it. */
export async function tagsWithCounts(deps: Deps, ctx: TenantContext): Promise<TagWithCount[]> {
  authorize(ctx, "customers.view");
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ id: number; name: string; customers: number | string }>`
    SELECT t.id, t.name, (SELECT COUNT(*) FROM customer_tags ct
       WHERE ${sql.scoped("ct")} AND ct.tag_id = t.id) AS customers
    FROM tags t WHERE ${sql.scoped("t")} ORDER BY t.name`;
  return rows.map((r) => ({ id: r.id, name: r.name, customers: Number(r.customers) }));
}

function tagName(input: string): string {
  const [name] = normaliseTags(input);
  if (!name || name.length > 64)
    throw AppError.validation({ name: "Enter a tag name (at most 64 characters)." });
  return name;
}

/** Renames a tag; renaming onto an existing name merges the two. */
export async function renameTag(deps: Deps, ctx: TenantContext, tag: Tag, newName: string) {
  authorize(ctx, "customers.manage");
  const name = tagName(newName);
  if (name === tag.name) return tag;
  const target = await deps.models.Tag.findOne({
    where: tenantWhere(ctx, deps.models.Tag, { name }),
  });
  if (target) return mergeTags(deps, ctx, tag, target);
  await tag.update({ name });
  return tag;
}

/** Moves every customer of `source` onto `target` and deletes `source`. */
export async function mergeTags(deps: Deps, ctx: TenantContext, source: Tag, target: Tag) {
  authorize(ctx, "customers.manage");
  if (source.id === target.id) return target;
  await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, ctx, transaction);
    await sql.run`
      INSERT INTO customer_tags (customer_id, tag_id, business_id)
      SELECT customer_id, ${target.id}, ${sql.businessId} FROM customer_tags s
      WHERE ${sql.scoped("s")} AND s.tag_id = ${source.id}
        AND NOT EXISTS (SELECT 1 FROM customer_tags x
          WHERE ${sql.scoped("x")} AND x.customer_id = s.customer_id AND x.tag_id = ${target.id})`;
    await deps.models.CustomerTag.destroy({
      where: tenantWhere(ctx, deps.models.CustomerTag, { tagId: source.id }),
      transaction,
    });
    await source.destroy({ transaction });
  });
  return target;
}

export async function deleteTag(deps: Deps, ctx: TenantContext, tag: Tag): Promise<void> {
  authorize(ctx, "customers.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.CustomerTag.destroy({
      where: tenantWhere(ctx, deps.models.CustomerTag, { tagId: tag.id }),
      transaction,
    });
    await tag.destroy({ transaction });
  });
}

import { Op, type Transaction } from "sequelize";
import { AppError } from "../../errors";
import type { Models, Tag } from "../../models";
import { authorize, restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
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

/**
 * The tags page: every tag with how many customers carry it. Members limited to their own
 * customers see the tags on those, counted among those: what their list would show.
 */
export async function tagsWithCounts(deps: Deps, ctx: TenantContext): Promise<TagWithCount[]> {
  authorize(ctx, "customers.view");
  const sql = tenantSql(deps, ctx);
  type Row = { id: number; name: string; customers: number | string };
  const rows = restrictedToOwnRecords(ctx)
    ? await sql.select<Row>`
        SELECT t.id, t.name, COUNT(*) AS customers
        FROM customers c
        JOIN customer_tags ct ON ct.customer_id = c.id AND ${sql.scoped("ct")}
        JOIN tags t ON t.id = ct.tag_id AND ${sql.scoped("t")}
        WHERE ${sql.scoped("c")}
        GROUP BY t.id, t.name ORDER BY t.name`
    : await sql.select<Row>`
        SELECT t.id, t.name, (SELECT COUNT(*) FROM customer_tags ct
           WHERE ${sql.scoped("ct")} AND ct.tag_id = t.id) AS customers
        FROM tags t WHERE ${sql.scoped("t")} ORDER BY t.name`;
  return rows.map((r) => ({ id: Number(r.id), name: r.name, customers: Number(r.customers) }));
}

function tagName(input: string): string {
  const [name] = normaliseTags(input);
  if (!name || name.length > 64)
    throw AppError.validation({ name: "Enter a tag name (at most 64 characters)." });
  return name;
}

/**
 * Timeline events for every customer carrying `tagId` (one INSERT … SELECT, however many carry
 * it): renaming, merging and deleting a tag changes those customers, and their pages say so.
 * `unless` leaves out customers that already carry that tag (a merge gives the target only to
 * the others); without it nobody is left out (no tag has id 0).
 */
async function recordOnCarriers(
  deps: Deps,
  ctx: TenantContext,
  transaction: Transaction,
  event: { tagId: number; kind: "tagged" | "untagged"; tag: string; via: string; unless?: number },
): Promise<void> {
  const sql = tenantSql(deps, ctx, transaction);
  const actorId = ctx.system ? null : ctx.user.id;
  const details = JSON.stringify({ tags: [event.tag], via: event.via });
  const unless = event.unless ?? 0;
  await sql.run`
    INSERT INTO timeline_events (business_id, customer_id, actor_id, kind, details, created_at)
    SELECT ${sql.businessId}, s.customer_id, ${actorId}, ${event.kind}, ${details},
      ${deps.clock.now()}
    FROM customer_tags s
    WHERE ${sql.scoped("s")} AND s.tag_id = ${event.tagId}
      AND NOT EXISTS (SELECT 1 FROM customer_tags x
        WHERE ${sql.scoped("x")} AND x.customer_id = s.customer_id AND x.tag_id = ${unless})`;
}

/**
 * Renames a tag; renaming onto an existing name merges the two. Tags sit on customers of the
 * whole team, so this is for members with tags.manage (not sales).
 */
export async function renameTag(deps: Deps, ctx: TenantContext, tag: Tag, newName: string) {
  authorize(ctx, "tags.manage");
  const name = tagName(newName);
  if (name === tag.name) return tag;
  const target = await deps.models.Tag.findOne({
    where: tenantWhere(ctx, deps.models.Tag, { name }),
  });
  if (target) return mergeTags(deps, ctx, tag, target);
  const oldName = tag.name;
  await deps.sequelize.transaction(async (transaction) => {
    const via = "rename";
    await recordOnCarriers(deps, ctx, transaction, {
      tagId: tag.id,
      kind: "untagged",
      tag: oldName,
      via,
    });
    await recordOnCarriers(deps, ctx, transaction, {
      tagId: tag.id,
      kind: "tagged",
      tag: name,
      via,
    });
    await tag.update({ name }, { transaction });
  });
  return tag;
}

/** Moves every customer of `source` onto `target` and deletes `source`. */
export async function mergeTags(deps: Deps, ctx: TenantContext, source: Tag, target: Tag) {
  authorize(ctx, "tags.manage");
  if (source.id === target.id) return target;
  await deps.sequelize.transaction(async (transaction) => {
    const via = "merge";
    await recordOnCarriers(deps, ctx, transaction, {
      tagId: source.id,
      kind: "untagged",
      tag: source.name,
      via,
    });
    await recordOnCarriers(deps, ctx, transaction, {
      tagId: source.id,
      kind: "tagged",
      tag: target.name,
      via,
      unless: target.id,
    });
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
  authorize(ctx, "tags.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await recordOnCarriers(deps, ctx, transaction, {
      tagId: tag.id,
      kind: "untagged",
      tag: tag.name,
      via: "delete",
    });
    await deps.models.CustomerTag.destroy({
      where: tenantWhere(ctx, deps.models.CustomerTag, { tagId: tag.id }),
      transaction,
    });
    await tag.destroy({ transaction });
  });
}

import { Op } from "sequelize";
import { AppError } from "../../errors";
import { ownerFor } from "../../policies/customers";
import type { TenantContext } from "../../tenancy/context";
import { authorize } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { publishBulkCustomerChanges } from "../../webhooks/customerEvents";
import { filterWhere, type CustomerFilter } from "./filter";
import { attachTags, detachTags, ensureTags } from "./tags";
import { recordEvents } from "./timeline";
import { assertMember, deleteCustomers } from "./writes";
import { countsChanged } from "../dashboard/versions";

/** Which customers a bulk action touches: the ticked rows, or everything matching a filter. */
export type BulkTarget = { ids: number[] } | { filter: CustomerFilter };

export type BulkAction =
  | { action: "tag"; tags: string[] }
  | { action: "untag"; tags: string[] }
  | { action: "assign"; ownerId: number }
  | { action: "delete" };

const batchSize = 1000;

/**
 * Calls `work` with the ids of the target, a thousand at a time in id order, so a filter matching
 * a million customers never loads them all.
 */
export async function forEachCustomerBatch(
  deps: Deps,
  ctx: TenantContext,
  target: BulkTarget,
  work: (ids: number[]) => Promise<void>,
): Promise<void> {
  const base = await filterWhere(deps, ctx, "filter" in target ? target.filter : {}, {
    ...("ids" in target ? { id: { [Op.in]: target.ids.slice(0, batchSize * 10) } } : {}),
  });
  let lastId = 0;
  for (;;) {
    const rows = await deps.models.Customer.findAll({
      where: { [Op.and]: [base, { id: { [Op.gt]: lastId } }] },
      attributes: ["id"],
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (rows.length === 0) return;
    lastId = rows[rows.length - 1]!.id;
    await work(rows.map((r) => r.id));
    if (rows.length < batchSize) return;
  }
}

/** Runs a bulk action; returns how many customers it touched. */
export async function runBulkAction(
  deps: Deps,
  ctx: TenantContext,
  target: BulkTarget,
  command: BulkAction,
): Promise<number> {
  authorize(ctx, "customers.manage");
  const { models } = deps;
  let touched = 0;
  if (command.action === "tag" || command.action === "untag") {
    if (command.tags.length === 0) throw AppError.validation({ tags: "Enter at least one tag." });
  }
  const tags =
    command.action === "tag"
      ? await ensureTags(models, ctx, command.tags)
      : command.action === "untag"
        ? await models.Tag.findAll({
            where: tenantWhere(ctx, models.Tag, { name: { [Op.in]: command.tags } }),
          })
        : [];
  // The owner rule of every write (policies/customers.ts): bulk may not hand customers over
  // where the edit form may not.
  const newOwner = command.action === "assign" ? ownerFor(ctx, "several", command.ownerId) : null;
  if (newOwner !== null) await assertMember(deps, ctx, newOwner);
  await forEachCustomerBatch(deps, ctx, target, async (ids) => {
    await deps.sequelize.transaction(async (transaction) => {
      switch (command.action) {
        case "tag":
          await attachTags(models, ctx, ids, tags, transaction);
          break;
        case "untag":
          await detachTags(models, ctx, ids, tags, transaction);
          break;
        case "assign":
          await models.Customer.update(
            { ownerId: newOwner },
            { where: tenantWhere(ctx, models.Customer, { id: { [Op.in]: ids } }), transaction },
          );
          await countsChanged(deps, ctx, "customers", transaction);
          break;
        case "delete":
          touched += await deleteCustomers(deps, ctx, ids, transaction);
          return;
      }
      touched += ids.length;
      const details =
        command.action === "assign"
          ? { changes: { ownerId: [null, String(newOwner)] } }
          : { tags: tags.map((t) => t.name) };
      const kind =
        command.action === "assign" ? "updated" : command.action === "tag" ? "tagged" : "untagged";
      if (command.action !== "untag" || tags.length) {
        await recordEvents(
          deps,
          ctx,
          ids.map((customerId) => ({ customerId, kind, details })),
          transaction,
        );
        const names = tags.map((t) => t.name);
        await publishBulkCustomerChanges(
          deps,
          ctx,
          ids,
          command.action === "assign"
            ? { ownerId: [null, String(newOwner)] }
            : command.action === "tag"
              ? { tagsAdded: names }
              : { tagsRemoved: names },
          transaction,
        );
      }
    });
  });
  return touched;
}

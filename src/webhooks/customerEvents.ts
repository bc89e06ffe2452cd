import { Op, type Transaction } from "sequelize";
import type { Deps } from "../deps";
import { presentCustomer } from "../presenters/customer";
import type { TenantContext } from "../tenancy/context";
import { tenantWhere } from "../tenancy/scope";
import { publishEvents, wantsEvent } from "./publish";

/**
 * customer.updated for a batch of customers a bulk action changed (tags added or removed, owner
 * changed), in its transaction: each customer as it is now, with `changes` naming what the action
 * did (`tagsAdded`, `tagsRemoved`, or `ownerId: [null, new]` — the action does not know each
 * customer's previous owner). Reads nothing when no endpoint wants the event.
 */
export async function publishBulkCustomerChanges(
  deps: Deps,
  ctx: TenantContext,
  ids: number[],
  changes: Record<string, unknown>,
  transaction: Transaction,
): Promise<void> {
  if (ids.length === 0 || !(await wantsEvent(deps, ctx, "customer.updated", transaction))) return;
  const { models } = deps;
  const customers = await models.Customer.findAll({
    where: tenantWhere(ctx, models.Customer, { id: { [Op.in]: ids } }),
    order: [["id", "ASC"]],
    transaction,
  });
  const links = await models.CustomerTag.findAll({
    where: tenantWhere(ctx, models.CustomerTag, { customerId: { [Op.in]: ids } }),
    attributes: ["customerId", "tagId"],
    transaction,
  });
  const tags = await models.Tag.findAll({
    where: tenantWhere(ctx, models.Tag, {
      id: { [Op.in]: [...new Set(links.map((l) => l.tagId))] },
    }),
    attributes: ["id", "name"],
    transaction,
  });
  const names = new Map(tags.map((t) => [t.id, t.name]));
  const byCustomer = new Map<number, string[]>();
  for (const link of links) {
    const name = names.get(link.tagId);
    if (name) byCustomer.set(link.customerId, [...(byCustomer.get(link.customerId) ?? []), name]);
  }
  await publishEvents(
    deps,
    ctx,
    "customer.updated",
    customers.map((c) => ({
      ...presentCustomer(c, (byCustomer.get(c.id) ?? []).sort()),
      changes,
    })),
    { transaction },
  );
}

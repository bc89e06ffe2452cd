import type { Customer } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { authorize } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { likelyDuplicates } from "./merge";
import { notesOf } from "./notes";
import { currentTagNames } from "./writes";

/** Everything the customer page shows besides tasks: tags, owner, notes, timeline, duplicates. */
export async function customerDetails(deps: Deps, ctx: TenantContext, customer: Customer) {
  authorize(ctx, "customers.view");
  const [tags, owner, notes, events, duplicates] = await Promise.all([
    currentTagNames(deps.models, customer),
    customer.ownerId
      ? deps.models.User.findByPk(customer.ownerId, { attributes: ["id", "name"] })
      : Promise.resolve(null),
    notesOf(deps, ctx, customer),
    deps.models.TimelineEvent.findAll({
      where: tenantWhere(ctx, deps.models.TimelineEvent, { customerId: customer.id }),
      include: [{ model: deps.models.User, as: "actor", attributes: ["id", "name"] }],
      order: [
        ["createdAt", "DESC"],
        ["id", "DESC"],
      ],
      limit: 200,
    }),
    likelyDuplicates(deps, ctx, customer),
  ]);
  return { tags, owner, notes, events, duplicates };
}

import type { Response } from "express";
import { z } from "zod";
import { filterOptions } from "../../commands/customers/options";
import type { Deps } from "../../deps";
import type { PageCall } from "../../http/endpoint";
import { idField } from "../../http/params";
import { mayAssignOwners } from "../../policies/customers";
import { presentFilterOptions } from "../../presenters/customerList";
import type { TenantContext } from "../../tenancy/context";

/**
 * GET /customers/filter-options: the customer filter's choices — owners, tag names, segments — as
 * the HTML fragment the list page's filter panel loads when it is opened (htmx). For members who
 * manage customers it also fills the bulk bar's owner picker (an out-of-band swap). `ownerId`
 * marks the filter's current owner. Page mode, feature "customers", permission "customers.view".
 */
export const filterOptionsQuery = z.object({
  ownerId: idField().optional().catch(undefined),
});

async function render(
  res: Response,
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  ownerId: number | undefined,
) {
  const options = await filterOptions(deps, ctx);
  // The bulk bar's owner picker is there only for members who may hand customers over.
  const manages = mayAssignOwners(ctx);
  res.render("partials/customers/filter-options", {
    layout: false,
    ...presentFilterOptions(options, ownerId, manages),
  });
}

/** GET /customers/filter-options (the chain has checked sign-in, feature and permission). */
export function showFilterOptions({
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof filterOptionsQuery }>) {
  return render(res, deps, ctx, query.ownerId);
}

import type { Request, Response } from "express";
import type { CustomerFilter } from "../../commands/customers/filter";
import { listCustomers, type PageRequest } from "../../commands/customers/list";
import { filterOptions } from "../../commands/customers/options";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { customerListView, wantsFilterOptions } from "../../presenters/customerList";
import type { TenantContext } from "../../tenancy/context";
import { pageSchema, type listQuerySchema } from "./schema";

/**
 * The list page reads its rows (with their tags) and, only when asked or when the filter names an
 * owner, the filter's choices; otherwise the filter panel loads those when opened
 * (GET /customers/filter-options), since they cost as much to read as the list itself.
 */
async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  list: { filter: CustomerFilter; page: PageRequest; errors?: FieldErrors },
) {
  const { filter, page } = list;
  const errors = list.errors ?? {};
  const query: Record<string, unknown> = req.query;
  const [result, options] = await Promise.all([
    listCustomers(deps, ctx, filter, page),
    wantsFilterOptions(query, filter) ? filterOptions(deps, ctx) : Promise.resolve(null),
  ]);
  res.status(Object.keys(errors).length > 0 ? 422 : 200).render("customers/index", {
    title: "Customers",
    csrfToken: csrfToken(req),
    // Phones fold the filters behind a toggle: unfolded when more than a search is set, or the
    // filter's choices were asked for (?filters=1, the no-script way to open them).
    filtersActive:
      options !== null ||
      Object.keys(errors).length > 0 ||
      Object.keys(filter).some((key) => key !== "q"),
    ...customerListView({ ctx, filter, page, result, options, errors, query }),
  });
}

/** GET /customers: the list with its filters, keyset paging and bulk actions. */
export function showList({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof listQuerySchema }>) {
  return renderList(req, res, deps, ctx, query);
}

/** A filter that does not parse: the unfiltered list, with what was wrong (422). */
export function renderListFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  // Paging never fails (odd values fall back to defaults), so it is kept.
  const page = pageSchema.parse(req.query);
  return renderList(req, res, deps, ctx, { filter: {}, page, errors: failure.errors });
}

import type { Request, Response } from "express";
import type { CustomerFilter } from "../../commands/customers/filter";
import { listCustomers, tagsByCustomer, type PageRequest } from "../../commands/customers/list";
import { memberOptions, tagNames } from "../../commands/customers/options";
import { segmentsOf } from "../../commands/customers/segments";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { hasFeature } from "../../plans/planGate";
import { can } from "../../policies/permissions";
import { presentCustomer } from "../../presenters/customer";
import { listLink, sizeOptions, sortOptions } from "../../presenters/customerList";
import type { TenantContext } from "../../tenancy/context";
import { pageSchema, type listQuerySchema } from "./schema";

async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  list: { filter: CustomerFilter; page: PageRequest; errors?: FieldErrors },
) {
  const { filter, page } = list;
  const errors = list.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const [result, members, tags, segments] = await Promise.all([
    listCustomers(deps, ctx, filter, page),
    memberOptions(deps, ctx),
    tagNames(deps, ctx),
    hasFeature(ctx.plan, "segments") ? segmentsOf(deps, ctx) : Promise.resolve([]),
  ]);
  const tagMap = await tagsByCustomer(
    deps,
    ctx,
    result.rows.map((c) => c.id),
  );
  const keep = {
    sort: page.sort === "name" ? undefined : page.sort,
    size: page.size === 25 ? undefined : page.size,
  };
  res.status(failed ? 422 : 200).render("customers/index", {
    title: "Customers",
    csrfToken: csrfToken(req),
    customers: result.rows.map((c) => presentCustomer(c, ctx.business, tagMap.get(c.id))),
    total: result.total,
    totalCapped: result.totalCapped,
    nextLink: result.next ? listLink(filter, { ...keep, after: result.next }) : null,
    prevLink: result.prev ? listLink(filter, { ...keep, before: result.prev }) : null,
    exportCsv: listLink(filter, {}).replace("/customers", "/customers/export.csv"),
    exportXlsx: listLink(filter, {}).replace("/customers", "/customers/export.xlsx"),
    filter: { ...filter, tags: filter.tags?.join(", ") ?? "", all: filter.tagMode === "all" },
    filtered: Object.keys(filter).length > 0,
    errors: failed ? { ...errors, form: Object.values(errors).join(" ") } : {},
    values: req.query,
    sortOptions: sortOptions(page.sort),
    sizeOptions: sizeOptions(page.size),
    members: members.map((m) => ({ ...m, selected: m.id === filter.ownerId })),
    tagNames: tags,
    segments: segments.map((s) => ({ id: s.id, name: s.name })),
    canManage: can(ctx.membership.role, "customers.manage"),
    canExport: can(ctx.membership.role, "customers.export"),
    canSaveSegments: hasFeature(ctx.plan, "segments"),
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

import type { CustomerFilter } from "../commands/customers/filter";
import {
  customerSorts,
  pageSizes,
  type CustomerPage,
  type CustomerRow,
  type CustomerSort,
  type PageRequest,
} from "../commands/customers/list";
import type { FilterOptions } from "../commands/customers/options";
import { displayPhone } from "../lib/phone";
import type { FieldErrors } from "../lib/forms";
import { can } from "../policies/permissions";
import { featureLock, hasFeature } from "../plans/planGate";
import { mayAssignOwners } from "../policies/customers";
import { restrictedToOwnRecords, type TenantContext } from "../tenancy/context";

const sortLabels: Record<CustomerSort, string> = {
  name: "Name A–Z",
  "-name": "Name Z–A",
  "-created": "Newest first",
  created: "Oldest first",
  "-updated": "Recently updated",
  updated: "Least recently updated",
};

/** The filter as query-string pairs, so links and forms keep it (segments store the same shape). */
export function filterParams(filter: CustomerFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.tags?.length) params.set("tags", filter.tags.join(", "));
  if (filter.tagMode && filter.tags?.length) params.set("tagMode", filter.tagMode);
  if (filter.createdFrom) params.set("createdFrom", filter.createdFrom);
  if (filter.createdTo) params.set("createdTo", filter.createdTo);
  if (filter.upcomingDays !== undefined) params.set("upcomingDays", String(filter.upcomingDays));
  if (filter.ownerId) params.set("ownerId", String(filter.ownerId));
  return params;
}

export function listLink(
  filter: CustomerFilter,
  extra: Record<string, string | number | undefined>,
): string {
  const params = filterParams(filter);
  for (const [key, value] of Object.entries(extra))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const query = params.toString();
  return query ? `/customers?${query}` : "/customers";
}

export function sortOptions(current: CustomerSort) {
  return customerSorts.map((value) => ({
    value,
    label: sortLabels[value],
    selected: value === current,
  }));
}

export function sizeOptions(current: number) {
  return pageSizes.map((value) => ({ value, label: String(value), selected: value === current }));
}

/** Human words for a filter, e.g. on the segments page. */
export function describeFilter(filter: CustomerFilter): string {
  const parts: string[] = [];
  if (filter.q) parts.push(`matching "${filter.q}"`);
  if (filter.tags?.length)
    parts.push(`tagged ${filter.tags.join(filter.tagMode === "all" ? " and " : " or ")}`);
  if (filter.createdFrom) parts.push(`added from ${filter.createdFrom}`);
  if (filter.createdTo) parts.push(`added until ${filter.createdTo}`);
  if (filter.upcomingDays !== undefined)
    parts.push(`birthday or anniversary within ${filter.upcomingDays} days`);
  if (filter.ownerId) parts.push("with a chosen owner");
  return parts.length ? parts.join(", ") : "all customers";
}

/** Distinct phone numbers whose display form is remembered (a few MB at most). */
/** A row of the customer list: only what the table shows. */
export function presentListRow(
  row: Pick<CustomerRow, "id" | "name" | "email" | "phoneE164">,
  tags: string[] = [],
) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phoneDisplay: displayPhone(row.phoneE164),
    tags,
  };
}

/**
 * Whether the list page renders the filter's choices itself: when asked (`?filters=1`, the link a
 * browser without JavaScript follows) and when the filter names an owner (the picker must show
 * who). Otherwise the panel loads them when opened.
 */
export function wantsFilterOptions(
  query: Record<string, unknown>,
  filter: CustomerFilter,
): boolean {
  return query.filters === "1" || filter.ownerId !== undefined;
}

/** The filter's choices as the panel shows them (the filter's owner selected). */
export function presentFilterOptions(
  options: FilterOptions,
  ownerId: number | undefined,
  bulkOwnersOob = false,
) {
  return {
    members: options.members.map((m) => ({ ...m, selected: m.id === ownerId })),
    tagNames: options.tagNames,
    segments: options.segments,
    bulkOwnersOob,
  };
}

export interface ListViewInput {
  ctx: TenantContext;
  filter: CustomerFilter;
  page: PageRequest;
  result: CustomerPage;
  /** Loaded only when wantsFilterOptions. */
  options: FilterOptions | null;
  errors: FieldErrors;
  query: Record<string, unknown>;
}

/** Everything views/customers/index.hbs shows besides the title and CSRF token. */
export function customerListView(input: ListViewInput) {
  const { ctx, filter, page, result } = input;
  const keep = {
    sort: page.sort === "name" ? undefined : page.sort,
    size: page.size === 25 ? undefined : page.size,
  };
  const ownerParam = filter.ownerId ? `?ownerId=${filter.ownerId}` : "";
  const errors = input.errors;
  const failed = Object.keys(errors).length > 0;
  return {
    customers: result.rows.map((c) => presentListRow(c, c.tags)),
    total: result.total,
    totalCapped: result.totalCapped,
    nextLink: result.next ? listLink(filter, { ...keep, after: result.next }) : null,
    prevLink: result.prev ? listLink(filter, { ...keep, before: result.prev }) : null,
    exportCsv: listLink(filter, {}).replace("/customers", "/customers/export.csv"),
    exportXlsx: listLink(filter, {}).replace("/customers", "/customers/export.xlsx"),
    filter: { ...filter, tags: filter.tags?.join(", ") ?? "", all: filter.tagMode === "all" },
    filtered: Object.keys(filter).length > 0,
    errors: failed ? { ...errors, form: Object.values(errors).join(" ") } : {},
    values: input.query,
    sortOptions: sortOptions(page.sort),
    sizeOptions: sizeOptions(page.size),
    options: input.options ? presentFilterOptions(input.options, filter.ownerId) : null,
    optionsUrl: `/customers/filter-options${ownerParam}`,
    optionsLink: listLink(filter, { ...keep, filters: 1 }),
    canManage: can(ctx.membership.role, "customers.manage"),
    canExport: can(ctx.membership.role, "customers.export"),
    canSaveSegments: hasFeature(ctx.plan, "segments"),
    // Role scope and plan locks (policies/customers.ts, planGate.featureLock): who may hand
    // customers over, whose list this is, and which buttons show the plan that unlocks them.
    canAssignOwners: mayAssignOwners(ctx),
    ownOnly: restrictedToOwnRecords(ctx),
    importLock: featureLock(ctx.plan, "imports"),
    segmentLock: featureLock(ctx.plan, "segments"),
  };
}

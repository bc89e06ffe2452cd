import type { CustomerFilter } from "../commands/customers/filter";
import { customerSorts, pageSizes, type CustomerSort } from "../commands/customers/list";

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

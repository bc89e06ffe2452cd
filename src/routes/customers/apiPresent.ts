import type { CustomerFilter } from "../../commands/customers/filter";
import { listCustomers, tagsByCustomer, type PageRequest } from "../../commands/customers/list";
import type { Deps } from "../../deps";
import type { Customer } from "../../models";
import { presentCustomer } from "../../presenters/customer";
import type { TenantContext } from "../../tenancy/context";

/** One customer as the API shows it, with its tags. */
export async function presentWithTags(deps: Deps, ctx: TenantContext, customer: Customer) {
  const tags = await tagsByCustomer(deps, ctx, [customer.id]);
  return presentCustomer(customer, tags.get(customer.id) ?? []);
}

/** One page of customers as the API lists them (the customers list and a segment's customers). */
export async function customerPage(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  page: PageRequest,
) {
  // The rows come with their tags.
  const result = await listCustomers(deps, ctx, filter, page);
  return {
    items: result.rows.map((c) => presentCustomer(c, c.tags)),
    nextCursor: result.next,
  };
}

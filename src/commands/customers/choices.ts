import type { Deps } from "../../deps";
import { isAppError } from "../../errors";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";

/** Customer pickers on other records' forms (deals, tickets): plain id/name pairs. */

export interface CustomerChoice {
  id: number;
  name: string;
}

/** How many customers a plain select offers; the one already linked is always added. */
const pickerSize = 200;

/**
 * The customer an id names in the business, or null when it names none. Linked records show
 * their customer even when the member's role would not list it (a sales member's deal may name a
 * customer owned by someone else).
 */
export async function customerChoice(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  id: unknown,
): Promise<CustomerChoice | null> {
  if (id === undefined || id === null || id === "") return null;
  const customer = await findInBusiness(ctx, deps.models.Customer, id, {
    attributes: ["id", "name"],
    wholeBusiness: true,
  }).catch((error: unknown) => {
    if (isAppError(error) && error.id === "not_found") return null;
    throw error;
  });
  return customer ? { id: customer.id, name: customer.name } : null;
}

/** The first customers by name that the member may see, with the selected one in front. */
export async function customerChoices(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  selected: unknown,
): Promise<CustomerChoice[]> {
  const rows = await deps.models.Customer.findAll({
    attributes: ["id", "name"],
    where: tenantWhere(ctx, deps.models.Customer),
    order: [["name", "ASC"]],
    limit: pickerSize,
  });
  const choices = rows.map((c) => ({ id: c.id, name: c.name }));
  const wanted = selected === undefined || selected === null ? "" : String(selected);
  if (wanted && !choices.some((c) => String(c.id) === wanted)) {
    const linked = await customerChoice(deps, ctx, wanted);
    if (linked) choices.unshift(linked);
  }
  return choices;
}

/** The id of the business's customer with this e-mail, or null. */
export async function customerIdByEmail(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  email: string,
): Promise<number | null> {
  const found = await deps.models.Customer.findOne({
    attributes: ["id"],
    where: tenantWhere(ctx, deps.models.Customer, { email }, { wholeBusiness: true }),
  });
  return found ? found.id : null;
}

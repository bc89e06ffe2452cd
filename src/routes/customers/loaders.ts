import { AppError } from "../../errors";
import type { LoadCall } from "../../http/endpoint";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";

/**
 * The records customer paths name, through the one scoping helper: another business's id (or a
 * customer a sales member may not see) is a 404 before any gate or input is looked at.
 */
export function loadCustomer({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { customerId: number }>) {
  return findInBusiness(ctx, deps.models.Customer, params.customerId);
}

/** A note under its customer's path; a note of another customer is as absent as another tenant's. */
export async function loadNote({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { customerId: number; noteId: number }>) {
  const customer = await findInBusiness(ctx, deps.models.Customer, params.customerId);
  const note = await findInBusiness(ctx, deps.models.Note, params.noteId, {
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
  });
  if (note.customerId !== customer.id) throw AppError.notFound();
  return { customer, note };
}

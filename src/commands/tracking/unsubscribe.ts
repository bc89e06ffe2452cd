import type { Deps } from "../../deps";
import { businessScope, ownBusiness, tenantWhere } from "../../tenancy/scope";
import { optOutCustomer } from "../campaigns/optOut";
import type { TrackingToken } from "./tokens";

export type UnsubscribeVia = "one_click" | "page";

export interface UnsubscribeResult {
  /** test: a "send me a test" message's link, which unsubscribes nobody. */
  outcome: "opted_out" | "test" | "not_found";
  businessName: string;
}

/** The business's name for the page, read through its own scope. */
export async function businessNameOf(deps: Pick<Deps, "models">, businessId: number) {
  const business = await deps.models.Business.findOne({
    where: ownBusiness(businessScope(businessId)),
    attributes: ["name"],
  });
  return business?.name ?? "";
}

/**
 * The unsubscribe link of a campaign e-mail: opts the token's customer out of marketing in the
 * token's business (optOutCustomer: suppression on every channel, queued sends withdrawn, one
 * timeline entry; repeating it changes nothing). The
 * customer is looked up in that business only, so a token can never act on another business.
 */
export async function unsubscribeCustomer(
  deps: Deps,
  token: TrackingToken,
  via: UnsubscribeVia,
): Promise<UnsubscribeResult> {
  const businessName = await businessNameOf(deps, token.businessId);
  if (token.recipientId === 0) return { outcome: "test", businessName };
  const scope = businessScope(token.businessId);
  const customer = await deps.models.Customer.findOne({
    where: tenantWhere(scope, deps.models.Customer, { id: token.customerId }),
    attributes: ["id"],
  });
  if (!customer) return { outcome: "not_found", businessName };
  await optOutCustomer(deps, scope, {
    customerId: customer.id,
    channel: "email",
    reason: via === "one_click" ? "One-click unsubscribe (e-mail)" : "Unsubscribe page (e-mail)",
  });
  return { outcome: "opted_out", businessName };
}

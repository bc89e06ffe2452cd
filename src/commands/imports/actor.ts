import type { PlanRecord } from "../../plans/plans";
import { ownerFor } from "../../policies/customers";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import type { BusinessRecord } from "../../tenancy/records";

/** Who a background run acts for: the business, its plan, and the member who started it. */
export interface ImportActor {
  business: BusinessRecord;
  plan: PlanRecord;
  userId: number;
  /** Set for members who see only their own records: they update only customers they own. */
  onlyOwnedBy: number | null;
  /** Who owns the customers the import creates: the owner rule of every write. */
  ownerOfCreated: number | null;
}

/** The import's actor, from the tenant context its job loaded for the starter. */
export function importActor(ctx: TenantContext): ImportActor {
  return {
    business: ctx.business,
    plan: ctx.plan,
    userId: ctx.user.id,
    onlyOwnedBy: restrictedToOwnRecords(ctx) ? ctx.user.id : null,
    ownerOfCreated: ownerFor(ctx, "new", null),
  };
}

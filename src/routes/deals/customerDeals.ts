import { listDeals } from "../../commands/deals/list";
import { formatMoney } from "../../commands/deals/money";
import type { Deps } from "../../deps";
import { hasFeature } from "../../plans/planGate";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";

const shown = 10;

/**
 * The customer page's deals card: the customer's newest deals (sales: their own) with stage and
 * amount, and a link to start another; null hides the card (no deals in the plan, or the role).
 */
export async function dealsOfCustomer(
  deps: Pick<Deps, "models" | "clock" | "config">,
  ctx: TenantContext,
  customerId: number,
) {
  if (!hasFeature(ctx.plan, "deals") || !can(ctx.membership.role, "deals.view")) return null;
  const rows = await listDeals(deps, ctx, { customerId }, { limit: shown });
  return {
    rows: rows.slice(0, shown).map((deal) => ({
      id: deal.id,
      title: deal.title,
      stage: deal.stage?.name ?? "",
      closed: deal.stage ? deal.stage.kind !== "open" : false,
      amount: formatMoney(deal.amountMinor, deal.currency),
    })),
    more: rows.length > shown,
    canCreate: can(ctx.membership.role, "deals.manage"),
  };
}

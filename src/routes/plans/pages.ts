import type { CallInput, PageCall } from "../../http/endpoint";
import { planCatalogue } from "../../plans/plans";
import { presentPlans } from "../../presenters/plans";
import type { RequestContext } from "../../tenancy/context";

/** GET /plans: every plan from the catalogue, the signed-in business's own marked. */
export async function showPlans({
  req,
  res,
  deps,
  ctx,
}: PageCall<CallInput, RequestContext | undefined>) {
  const plans = await planCatalogue(deps.models);
  res.render("plans/index", {
    layout: req.currentUser ? "main" : "public",
    title: "Plans",
    ...presentPlans(plans, ctx),
  });
}

import { z } from "zod";
import { notConfiguredMessage } from "../../commands/billing/orders";
import { usageOf } from "../../commands/billing/usage";
import type { VisitorCall } from "../../http/endpoint";
import { razorpayKeys } from "../../integrations/razorpay/client";
import { csrfToken } from "../../middleware/csrf";
import { can } from "../../policies/permissions";
import { planCatalogue } from "../../plans/plans";
import { presentPlans } from "../../presenters/plans";
import type { TenantContext } from "../../tenancy/context";
import { presentPrices, presentSubscription, presentUsage } from "../billing/present";

/** /pricing/gold: the plan a locked feature or limit sent the visitor for, highlighted. */
export const pricingParams = z.object({
  plan: z.string().regex(/^[a-z0-9_-]{1,32}$/),
});

/**
 * GET /pricing, for visitors and members alike: every plan with monthly and yearly prices (GST
 * shown), limits and features from the one registry. Signed in: the current plan, its state and
 * the usage against each limit; the owner (billing.manage) also gets upgrade, downgrade and
 * cancel buttons.
 */
export async function showPricing({ req, res, deps, ctx, params }: VisitorCall) {
  // /pricing has no parameter; /pricing/<plan> (pricingParams) names the plan to highlight.
  const suggested = (params as Partial<z.output<typeof pricingParams>>).plan ?? null;
  const plans = await planCatalogue(deps.models);
  const tenant = ctx?.business && ctx.membership && ctx.plan ? (ctx as TenantContext) : null;
  const sub = tenant
    ? await deps.models.Subscription.findOne({ where: { userId: tenant.business.ownerId } })
    : null;
  const manages = tenant ? can(tenant.membership.role, "billing.manage") : false;
  const subscription = tenant
    ? presentSubscription(sub, tenant.plan, plans, deps.clock.now(), tenant.business.timeZone)
    : null;
  const currentIndex = tenant ? plans.findIndex((p) => p.code === tenant.plan.code) : -1;
  const base = presentPlans(plans, ctx);
  const cards = base.plans.map((card, index) => {
    const plan = plans[index]!;
    const isCurrent = card.current;
    const higher = index > currentIndex;
    return {
      ...card,
      prices: presentPrices(plan),
      suggested: suggested === plan.code && !isCurrent,
      actions: manages && plan.code !== "free" && !(isCurrent && subscription?.paying),
      upgrade: higher || !subscription?.paying,
      downgrade: !higher && subscription?.paying === true,
      toFree: manages && plan.code === "free" && !isCurrent,
    };
  });
  res.render("pricing/index", {
    layout: req.currentUser ? "main" : "public",
    title: "Pricing",
    ...base,
    plans: cards,
    csrfToken: req.currentUser ? csrfToken(req) : null,
    configured: razorpayKeys(deps.config) !== null,
    notConfigured: notConfiguredMessage,
    trialDays: deps.config.BILLING_TRIAL_DAYS,
    subscription,
    manages,
    usage: tenant ? presentUsage(await usageOf(deps, tenant, tenant.plan)) : [],
  });
}

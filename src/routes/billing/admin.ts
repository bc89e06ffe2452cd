import type { Request, Response } from "express";
import { grantPlan } from "../../commands/billing/changes";
import type { FieldErrors } from "../../lib/forms";
import type { AccountCall, FormFailure, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { razorpayKeys } from "../../integrations/razorpay/client";
import { csrfToken } from "../../middleware/csrf";
import { planCatalogue, type PlanRecord } from "../../plans/plans";
import type { RequestContext } from "../../tenancy/context";
import type { grantSchema } from "./schema";

/**
 * The platform admin's plan grant (/admin/billing): how accounts change plan on a server without
 * Razorpay keys, or as goodwill. Each grant goes to the activity log of the admin and the account.
 */
interface GrantValues {
  email?: string;
  plan?: string;
  days?: string | number | null;
}

function render(
  req: Request,
  res: Response,
  plans: PlanRecord[],
  configured: boolean,
  state: { values: GrantValues; errors?: FieldErrors; status?: number },
) {
  res.status(state.status ?? 200).render("billing/grant", {
    title: "Grant a plan",
    csrfToken: csrfToken(req),
    configured,
    values: { ...state.values, days: state.values.days ?? "" },
    errors: state.errors ?? {},
    plans: plans.map((p) => ({
      value: p.code,
      label: p.name,
      selected: p.code === (state.values.plan ?? "silver"),
    })),
  });
}

/** GET /admin/billing */
export async function showGrant({ req, res, deps }: AccountCall) {
  render(req, res, await planCatalogue(deps.models), razorpayKeys(deps.config) !== null, {
    values: {},
  });
}

/** POST /admin/billing/grant */
export async function grant({ req, deps, ctx, body }: AccountCall<{ body: typeof grantSchema }>) {
  const done = await grantPlan(
    deps,
    { id: ctx.user.id, email: ctx.user.email },
    { email: body.email, planCode: body.plan, days: body.days },
    req,
  );
  return redirect(
    "/admin/billing",
    `${body.email} is on ${done.planName} ${body.days === null ? "with no end" : `for ${body.days} days`}.`,
  );
}

export async function renderGrantFailure(
  { req, res, deps }: PageFormCall<Record<string, never>, RequestContext>,
  failure: FormFailure,
) {
  render(req, res, await planCatalogue(deps.models), razorpayKeys(deps.config) !== null, {
    values: failure.values as GrantValues,
    errors: failure.errors,
    status: failure.status,
  });
}

import { leadScoreView, scoringSettingsAction } from "../../commands/leads/scoringRules";
import type { Deps } from "../../deps";
import type { Lead } from "../../models";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";

/**
 * What the lead page's score section (views/partials/leadScore.hbs) shows: the score, whether it
 * was set by hand and what the rules say, and a link to the rules for those who edit them.
 */
export async function leadScoreSection(deps: Pick<Deps, "models">, ctx: TenantContext, lead: Lead) {
  return {
    ...(await leadScoreView(deps, lead)),
    mayEditRules: can(ctx.membership.role, scoringSettingsAction),
  };
}

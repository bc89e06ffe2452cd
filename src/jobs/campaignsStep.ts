import { Op } from "sequelize";
import { acrossBusinesses } from "../tenancy/scope";
import type { ReconcileStep } from "./reconciler";

/**
 * Campaign sending's reconcile step: the campaigns table is the schedule. Every pass queues the
 * dispatcher of each campaign that is sending (its tick chain may have been lost with Redis),
 * scheduled before the horizon, or paused by the messaging limit with resume_at before it. The
 * dispatcher's job id is the campaign's and the tick's, so a chain still running is not doubled.
 */
export const campaignsStep: ReconcileStep = {
  name: "campaign-sending",
  async run(context) {
    const before = context.horizon ?? null;
    const due = before ? { [Op.lte]: before } : { [Op.ne]: null };
    const campaigns = await context.models.Campaign.findAll({
      where: acrossBusinesses("the reconciler re-queues every business's sending campaigns", {
        [Op.or]: [
          { sendState: "sending" },
          { sendState: "scheduled", scheduledAt: due },
          { sendState: "paused", pausedReason: "messaging_limit", resumeAt: due },
        ],
      }),
      attributes: ["id", "businessId", "sendState", "scheduledAt", "resumeAt"],
      limit: 1000,
    });
    const tickMs = context.config.CAMPAIGN_TICK_MS;
    for (const campaign of campaigns) {
      const at =
        campaign.sendState === "scheduled"
          ? campaign.scheduledAt!
          : campaign.sendState === "paused"
            ? campaign.resumeAt!
            : context.now;
      const runAt = at > context.now ? at : context.now;
      await context.jobs.dispatchOwed(
        "campaign-dispatch",
        { businessId: campaign.businessId, userId: null, campaignId: campaign.id },
        { jobId: `cd-${campaign.id}-${Math.floor(runAt.getTime() / tickMs)}`, runAt },
      );
    }
    return campaigns.length;
  },
};

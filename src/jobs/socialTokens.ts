import { Op } from "sequelize";
import { acrossBusinesses } from "../tenancy/scope";
import type { ReconcileStep } from "./reconciler";

/** Accounts queued per pass at most (the soonest to expire first). */
const batch = 500;

/**
 * Refreshes social tokens ahead of expiry: every pass queues a refresh for each connected account
 * with a refresh token whose access token expires within SOCIAL_TOKEN_REFRESH_AHEAD_MINUTES plus
 * two reconcile intervals (so a pass always comes before it is too late). The job id names the
 * account and expiry, so many passes (and processes) queue one refresh per expiry.
 */
export const socialTokensStep: ReconcileStep = {
  name: "social-tokens",
  async run(context) {
    const aheadMs =
      context.config.SOCIAL_TOKEN_REFRESH_AHEAD_MINUTES * 60_000 +
      2 * context.config.RECONCILE_INTERVAL_MS;
    const due = await context.models.SocialAccount.findAll({
      where: acrossBusinesses("the token refresh looks at every business's expiring tokens", {
        status: "connected",
        refreshTokenSealed: { [Op.ne]: null },
        tokenExpiresAt: { [Op.lte]: new Date(context.now.getTime() + aheadMs) },
      }),
      attributes: ["id", "businessId", "tokenExpiresAt"],
      order: [["tokenExpiresAt", "ASC"]],
      limit: batch,
    });
    for (const account of due) {
      const expiresAt = account.tokenExpiresAt?.getTime() ?? 0;
      await context.jobs.dispatch(
        "refresh-social-token",
        { businessId: account.businessId, userId: null, accountId: account.id, expiresAt },
        { jobId: `refresh-social-token-${account.id}-${expiresAt}` },
      );
    }
    return due.length;
  },
};

import { refreshAccountToken } from "../../src/commands/socialAccounts/refresh";
import { defineTenantJob } from "../../src/jobs/define";

/** The default queue: social tokens refreshed ahead of expiry (the tenant loaded by the loader). */
export const socialAccountJobs = [
  defineTenantJob("refresh-social-token", async (deps, ctx, payload) => {
    const outcome = await refreshAccountToken(deps, ctx, payload.accountId);
    deps.logger.info({ accountId: payload.accountId, outcome }, "social token refresh");
  }),
];

import { publishTarget } from "../../src/commands/social/publisher";
import { defineTenantJob } from "../../src/jobs/define";

/** The social publisher: one publish of one post target per job (commands/social/publisher.ts). */
export const socialJobs = [
  defineTenantJob("publish-social-target", (deps, ctx, payload) =>
    publishTarget(deps, ctx, payload),
  ),
];

import type { Deps } from "../deps";
import type { TenantContext } from "../tenancy/context";
import { loadTenantContext } from "../tenancy/loader";
import { jobSpec, type JobName, type JobPayloads, type TenantPayload } from "./catalog";
import type { JobInfo, RunnableJob } from "./queue";

/**
 * A job's handler: what runs when a job of that name comes off its queue. Handlers live in
 * workers/processors (one file per queue) and stay thin: load, then call commands.
 */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  perform(deps: Deps, payload: JobPayloads[N], job: JobInfo): Promise<void>;
}

type TenantJobName = {
  [N in JobName]: JobPayloads[N] extends TenantPayload ? N : never;
}[JobName];

export function defineJob<N extends JobName>(
  name: N,
  perform: JobDefinition<N>["perform"],
): JobDefinition<N> {
  return { name, perform };
}

export interface TenantJobOptions<N extends TenantJobName> {
  /**
   * When the context cannot be loaded (the business was deleted, the member left): what to record
   * instead. The job then ends without a retry — the work is no longer anyone's to do.
   */
  contextGone?(deps: Deps, payload: JobPayloads[N]): Promise<void>;
}

/**
 * A job done in one business: its payload carries the business (and acting member), and the
 * handler gets the same tenant context a page of that member would — through the same loader —
 * so every query it makes is scoped exactly as theirs.
 */
export function defineTenantJob<N extends TenantJobName>(
  name: N,
  perform: (deps: Deps, ctx: TenantContext, payload: JobPayloads[N], job: JobInfo) => Promise<void>,
  options: TenantJobOptions<N> = {},
): JobDefinition<N> {
  return {
    name,
    async perform(deps, payload, job) {
      const { businessId, userId } = payload as TenantPayload;
      const ctx = await loadTenantContext(deps, { businessId, userId });
      if (!ctx) {
        deps.logger.info({ job: name, businessId, userId }, "job skipped: context gone");
        await options.contextGone?.(deps, payload);
        return;
      }
      await perform(deps, ctx, payload, job);
    },
  };
}

/** The driver-level job: the definition bound to this process's dependencies. */
export function bindJob<N extends JobName>(definition: JobDefinition<N>, deps: Deps): RunnableJob {
  return {
    ...jobSpec(definition.name),
    perform: (payload, job) => definition.perform(deps, payload as JobPayloads[N], job),
  };
}

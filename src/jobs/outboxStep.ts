import { flushOutbox } from "./dispatcher";
import { JobOutbox } from "./outbox";
import type { ReconcileStep } from "./reconciler";

/** Hands the jobs kept while the queue was unreachable to the queue, under their own ids. */
export const outboxStep: ReconcileStep = {
  name: "outbox",
  run: (context) =>
    flushOutbox(new JobOutbox(context.sequelize, context.clock), context.queue, {
      timeoutMs: context.config.JOB_DISPATCH_TIMEOUT_MS,
      logger: context.logger,
    }),
};

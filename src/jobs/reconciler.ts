import type { Deps } from "../deps";
import type { Logger } from "../logger";

/** What a step sees: the process's dependencies and the instant of this run. */
export type ReconcileContext = Deps & { now: Date };

/** Re-enqueues one feature's due or pending work from the database; returns how many jobs. */
export interface ReconcileStep {
  name: string;
  run(context: ReconcileContext): Promise<number>;
}

/**
 * Runs on every start of a process that works jobs. The database is the source of truth for
 * scheduled work, so this rebuilds whatever a restart or a Redis loss dropped. Steps must be
 * idempotent (deterministic job ids make a second enqueue harmless).
 */
export class Reconciler {
  private readonly steps: ReconcileStep[] = [];

  constructor(private readonly logger: Logger) {}

  register(step: ReconcileStep): void {
    if (this.steps.some((existing) => existing.name === step.name)) {
      throw new Error(`Reconcile step "${step.name}" is registered twice`);
    }
    this.steps.push(step);
  }

  async run(deps: Deps): Promise<Record<string, number>> {
    const results: Record<string, number> = {};
    for (const step of this.steps) {
      // One failing feature must not keep the others' work from being rebuilt.
      try {
        results[step.name] = await step.run({ ...deps, now: deps.clock.now() });
      } catch (err) {
        this.logger.error({ err, step: step.name }, "reconcile step failed");
        results[step.name] = -1;
      }
    }
    this.logger.info({ results }, "reconciled scheduled work");
    return results;
  }
}

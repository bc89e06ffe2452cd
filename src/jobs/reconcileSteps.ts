import { housekeepingStep } from "./housekeeping";
import type { ReconcileStep } from "./reconciler";

/**
 * Every feature's start-up step, in one list: what the database says is scheduled is put back on
 * the queue. A feature with scheduled work adds its step here.
 */
export const reconcileSteps: ReconcileStep[] = [housekeepingStep];

import { scanReminders, type ScanOptions, type ScanSummary } from "../../commands/reminders/scan";
import type { TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

export type ScanRemindersPayload = Record<string, never>;

export interface ScanRemindersTask extends TaskDefinition<ScanRemindersPayload> {
  /** One scan as of `now` (the start-up catch-up and tests pick the instant). */
  scan(options: ScanOptions): Promise<ScanSummary>;
}

/** The 15-minute birthday and anniversary scan over every business (see commands/reminders). */
export function scanRemindersTask(deps: TaskDeps): ScanRemindersTask {
  const task: ScanRemindersTask = {
    queue: "default",
    name: "scan-reminders",
    // Each business's day is claimed once, so a retried scan only finishes what is left.
    retry: { attempts: 3, backoffMs: 10_000 },
    async perform() {
      await task.scan({ now: new Date() });
    },
    async scan(options) {
      const summary = await scanReminders({ ...deps, tasks: deps.tasks() }, options);
      const { due, reminded, quiet, failed } = summary;
      if (due > 0 || failed > 0) {
        deps.logger.info({ due, reminded: reminded.length, quiet, failed }, "reminders scanned");
      }
      return summary;
    },
  };
  return task;
}

import type { AnyTask } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";

/** The imports queue: inspecting an upload, running an import, undoing one. */
export const importsProcessor = (tasks: Tasks): AnyTask[] => [
  tasks.inspectImport,
  tasks.runImport,
  tasks.revertImport,
];

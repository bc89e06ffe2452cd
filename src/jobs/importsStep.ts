import { Op } from "sequelize";
import { enqueueImportWork } from "../commands/imports/enqueue";
import type { ReconcileStep } from "./reconciler";

/**
 * Unfinished imports are queued again: a restart of the in-process driver, a lost Redis or a
 * killed worker loses none. A running import whose runner died resumes from its checkpoint once
 * that runner's lease has run out (its watch job, re-created here if Redis lost it).
 */
export const importsStep: ReconcileStep = {
  name: "imports",
  async run(context) {
    const unfinished = await context.models.Import.findAll({
      where: { status: { [Op.in]: ["inspecting", "queued", "running", "reverting"] } },
    });
    for (const record of unfinished) await enqueueImportWork(context, record);
    return unfinished.length;
  },
};

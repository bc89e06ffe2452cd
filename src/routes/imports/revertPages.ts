import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { canRevert, requestRevert } from "../../commands/imports/revert";
import { planRevert, type RevertPlan } from "../../commands/imports/revertPlan";
import type { PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { Import } from "../../models";
import type { importParams } from "./schema";
import { importView } from "./view";

type OneImport = { params: typeof importParams; record: Import };

const count = (n: number, one: string, many = `${one}s`) =>
  n === 0 ? `No ${one}` : `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The plan in sentences, one per thing the undo does (the page shows the numbers in bold). */
function planView(plan: RevertPlan, customersNow: number) {
  const { toDelete, kept, toRestore, toUntag, createdTagCount } = plan;
  return {
    deleted: {
      count: count(toDelete, "customer"),
      text:
        toDelete > 0
          ? `it created ${verb(toDelete, "is", "are")} deleted, with ${verb(toDelete, "its", "their")} notes and timeline.`
          : "it created is left to delete.",
    },
    kept: {
      count: count(kept, "customer"),
      text:
        kept > 0
          ? `it created ${verb(kept, "is", "are")} kept, because work was done on ${verb(kept, "it", "them")} since:`
          : "it created is kept: none has been edited, noted, given a task, tagged by hand, merged or messaged since.",
      reasons: plan.keptReasons.map((r) => `${r.count.toLocaleString("en")} ${r.label}`),
      listed: plan.keptCustomers,
    },
    restored: {
      count: count(toRestore, "customer"),
      text:
        toRestore > 0
          ? `it changed ${verb(toRestore, "gets its", "get their")} old values back, except fields changed again since` +
            (toUntag > 0
              ? `; ${count(toUntag, "customer").toLowerCase()} ${verb(toUntag, "loses", "lose")} the tags it added.`
              : ".")
          : "already in the CRM was changed by it: nothing to restore.",
    },
    tags: {
      count: count(createdTagCount, "tag"),
      names: plan.createdTags.join(", ") + (createdTagCount > plan.createdTags.length ? "…" : ""),
      text:
        createdTagCount > 0
          ? `it created ${verb(createdTagCount, "is", "are")} removed if no customer carries ${verb(createdTagCount, "it", "them")} once the undo is done:`
          : "was created by it.",
    },
    customersAfter: Math.max(0, customersNow - toDelete).toLocaleString("en"),
    customersNow: customersNow.toLocaleString("en"),
  };
}

/**
 * GET /imports/:importId/revert: what undoing the import would do, in counts — customers deleted,
 * kept (and why), restored, tags removed — and the button that does it (a form: no JavaScript
 * needed). An import that can no longer be undone says so.
 */
export async function confirmRevert({ res, deps, ctx, record }: PageCall<OneImport>) {
  const { revertDays } = importLimits(deps.config);
  const now = deps.clock.now();
  const possible = canRevert(record, revertDays, now);
  const plan = possible ? await planRevert(deps, ctx, record) : null;
  res.render("imports/revert", {
    title: `Undo the import of ${record.fileName}?`,
    item: importView(record, ctx, revertDays, now),
    plan: plan ? planView(plan, ctx.business.customerCount) : null,
  });
}

/** POST /imports/:importId/revert: the undo, confirmed; it runs in the background. */
export async function revert({ deps, ctx, record }: PageCall<OneImport>) {
  const reverting = await requestRevert(deps, record, ctx.user.id);
  await enqueueImportWork(deps, reverting);
  return redirect(
    `/imports/${record.id}`,
    `Undoing the import of ${record.fileName}. You will be notified when it is done.`,
    { status: 303 },
  );
}

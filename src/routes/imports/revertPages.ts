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
  `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The plan in sentences, one per thing the undo does (the page shows the numbers in bold). */
function planView(plan: RevertPlan, customersNow: number) {
  return {
    deleted: {
      count: count(plan.toDelete, "customer"),
      text: "it created are deleted, with their notes and timelines.",
    },
    kept: {
      count: count(plan.kept, "customer"),
      text:
        plan.kept > 0
          ? "it created are kept, because work was done on them since:"
          : "it created had work done on them since: none is kept.",
      reasons: plan.keptReasons.map((r) => `${r.count.toLocaleString("en")} ${r.label}`),
      listed: plan.keptCustomers,
    },
    restored: {
      count: count(plan.toRestore, "customer"),
      text:
        "it changed get their old values back, except fields changed again since" +
        (plan.toUntag > 0 ? `; ${count(plan.toUntag, "customer")} lose the tags it added.` : "."),
    },
    tags: {
      count: count(plan.createdTagCount, "tag"),
      names: plan.createdTags.join(", "),
      text:
        plan.createdTagCount > 0
          ? "it created are removed if no customer carries them once the undo is done:"
          : "created by it to remove.",
    },
    customersAfter: Math.max(0, customersNow - plan.toDelete).toLocaleString("en"),
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

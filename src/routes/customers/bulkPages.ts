import { runBulkAction, type BulkAction } from "../../commands/customers/bulk";
import { countCustomers } from "../../commands/customers/count";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import { listLink } from "../../presenters/customerList";
import { lenientFilter, type bulkFormSchema } from "./schema";

const done: Record<BulkAction["action"], string> = {
  tag: "Tagged",
  untag: "Removed tags from",
  assign: "Assigned",
  delete: "Deleted",
};

/** A refused bulk action goes back to the list it came from, filter kept, with the reason. */
export function backToList(_call: PageFormCall, failure: FormFailure): string {
  return listLink(lenientFilter(failure.values), {});
}

/** The form's fields, to post again from the confirmation page. */
function hiddenFields(body: unknown) {
  const entries = typeof body === "object" && body !== null ? Object.entries(body) : [];
  return entries
    .filter(([key]) => key !== "_csrf" && key !== "confirm")
    .flatMap(([name, value]: [string, unknown]) =>
      (Array.isArray(value) ? value : [value]).map((v: unknown) => ({
        name,
        value: String(v ?? ""),
      })),
    );
}

/**
 * POST /customers/bulk: on the ticked rows or on everything the filter matches. Deleting asks
 * once more, saying how many; the confirmation posts the same form again.
 */
export async function runBulk({
  req,
  res,
  deps,
  ctx,
  body: form,
}: PageCall<{ body: typeof bulkFormSchema }>) {
  const { filter, target, command } = form;
  if (form.action === "delete" && !form.confirm) {
    const count =
      form.scope === "filter"
        ? await countCustomers(deps, ctx, filter)
        : { total: form.ids.length, totalCapped: false };
    res.render("customers/confirm-delete", {
      title: "Delete customers",
      csrfToken: csrfToken(req),
      count: count.total,
      capped: count.totalCapped,
      fields: hiddenFields(req.body),
      back: listLink(filter, {}),
    });
    return;
  }
  const touched = await runBulkAction(deps, ctx, target, command);
  return redirect(
    listLink(filter, {}),
    `${done[form.action]} ${touched} customer${touched === 1 ? "" : "s"}.`,
  );
}

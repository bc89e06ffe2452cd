import { Router } from "express";
import type { Deps } from "../../deps";
import { runBulkAction, type BulkAction, type BulkTarget } from "../../commands/customers/bulk";
import { customerFilterSchema } from "../../commands/customers/filter";
import { countCustomers } from "../../commands/customers/list";
import { isAppError } from "../../errors";
import { parseForm } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { listLink } from "../../presenters/customerList";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { bulkSchema } from "./schema";

const done: Record<BulkAction["action"], string> = {
  tag: "Tagged",
  untag: "Removed tags from",
  assign: "Assigned",
  delete: "Deleted",
};

/** Bulk actions from the list: on the ticked rows or on everything the filter matches. */
export function customerBulkPages(deps: Deps): Router {
  const router = Router();
  router.use("/customers/bulk", requireUser, requireBusiness, requireFeature("customers"));

  router.post("/customers/bulk", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const filterInput = parseForm(customerFilterSchema, req.body);
    const filter = filterInput.ok ? filterInput.data : {};
    const back = listLink(filter, {});
    const input = parseForm(bulkSchema, req.body);
    if (!input.ok) {
      flash(req, "danger", Object.values(input.errors)[0] ?? "Choose an action.");
      return res.redirect(back);
    }
    const form = input.data;
    const target: BulkTarget = form.scope === "filter" ? { filter } : { ids: form.ids };
    const command: BulkAction =
      form.action === "assign"
        ? { action: "assign", ownerId: form.newOwnerId! }
        : form.action === "delete"
          ? { action: "delete" }
          : { action: form.action, tags: form.bulkTags };

    // Deleting asks once more, saying how many; the confirmation re-posts the same form.
    if (form.action === "delete" && !form.confirm) {
      const count =
        form.scope === "filter"
          ? await countCustomers(deps, ctx, filter)
          : { total: form.ids.length, totalCapped: false };
      return res.render("customers/confirm-delete", {
        title: "Delete customers",
        csrfToken: csrfToken(req),
        count: count.total,
        capped: count.totalCapped,
        fields: Object.entries(req.body as Record<string, unknown>)
          .filter(([key]) => key !== "_csrf" && key !== "confirm")
          .flatMap(([name, value]) =>
            (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v ?? "") })),
          ),
        back,
      });
    }
    try {
      const touched = await runBulkAction(deps, ctx, target, command);
      flash(req, "success", `${done[form.action]} ${touched} customer${touched === 1 ? "" : "s"}.`);
    } catch (error) {
      if (!isAppError(error) || error.id !== "validation_failed") throw error;
      const fields = (error.details?.fields ?? {}) as Record<string, string>;
      flash(req, "danger", Object.values(fields)[0] ?? error.message);
    }
    res.redirect(back);
  });

  return router;
}

import { Router } from "express";
import type { Deps } from "../../deps";
import { customerDetails } from "../../commands/customers/details";
import { listCustomers } from "../../commands/customers/list";
import { memberOptions } from "../../commands/customers/options";
import { mergeCustomers, mergeableFields, type MergeChoice } from "../../commands/customers/merge";
import { parseForm } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { presentCustomer } from "../../presenters/customer";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { mergeSchema } from "./schema";

const labels: Record<(typeof mergeableFields)[number], string> = {
  name: "Name",
  email: "E-mail",
  phoneE164: "Phone",
  whatsappE164: "WhatsApp",
  consentAt: "Consent date",
  birthDate: "Date of birth",
  anniversary: "Anniversary",
  ownerId: "Owner",
};

/** Merge two duplicates: find the other record, pick the surviving values, fold it in. */
export function customerMergePages(deps: Deps): Router {
  const router = Router();
  router.use("/customers", requireUser, requireBusiness, requireFeature("customers"));

  router.get("/customers/:customerId/merge", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const survivor = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const duplicateId = typeof req.query.duplicateId === "string" ? req.query.duplicateId : "";
    const q = typeof req.query.q === "string" ? req.query.q.slice(0, 100) : "";
    if (!duplicateId) {
      const candidates = q
        ? (await listCustomers(deps, ctx, { q }, { sort: "name", size: 10 })).rows
        : (await customerDetails(deps, ctx, survivor)).duplicates;
      return res.render("customers/merge-pick", {
        title: `Merge into ${survivor.name}`,
        survivor: presentCustomer(survivor, ctx.business),
        q,
        candidates: candidates
          .filter((c) => c.id !== survivor.id)
          .map((c) => presentCustomer(c, ctx.business)),
      });
    }
    const duplicate = await findInBusiness(ctx, deps.models.Customer, duplicateId);
    const members = new Map((await memberOptions(deps, ctx)).map((m) => [m.id, m.name]));
    const a = presentCustomer(survivor, ctx.business);
    const b = presentCustomer(duplicate, ctx.business);
    const shown = (field: (typeof mergeableFields)[number], c: typeof a) => {
      const value = {
        name: c.name,
        email: c.email,
        phoneE164: c.phoneDisplay,
        whatsappE164: c.whatsappDisplay,
        consentAt: c.consentAt,
        birthDate: c.birthDateDisplay,
        anniversary: c.anniversaryDisplay,
        ownerId: c.ownerId ? (members.get(c.ownerId) ?? null) : null,
      }[field];
      return value ?? "—";
    };
    res.render("customers/merge", {
      title: `Merge ${duplicate.name} into ${survivor.name}`,
      csrfToken: csrfToken(req),
      survivor: a,
      duplicate: b,
      rows: mergeableFields.map((field) => ({
        field,
        label: labels[field],
        survivorValue: shown(field, a),
        duplicateValue: shown(field, b),
        // Default: keep the survivor's value unless it is empty.
        pickDuplicate: shown(field, a) === "—" && shown(field, b) !== "—",
      })),
    });
  });

  router.post("/customers/:customerId/merge", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const survivor = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const input = parseForm(mergeSchema, req.body);
    if (!input.ok) {
      flash(req, "danger", "Choose the customer to merge.");
      return res.redirect(`/customers/${survivor.id}/merge`);
    }
    const duplicate = await findInBusiness(ctx, deps.models.Customer, input.data.duplicateId);
    const { duplicateId: _ignored, ...choice } = input.data;
    await mergeCustomers(deps, ctx, survivor, duplicate, choice as MergeChoice);
    flash(req, "success", `${duplicate.name} was merged into ${survivor.name}.`);
    res.redirect(`/customers/${survivor.id}`);
  });

  return router;
}

import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { customerDetails } from "../../commands/customers/details";
import { customerFilterSchema, type CustomerFilter } from "../../commands/customers/filter";
import { customerInputSchema } from "../../commands/customers/input";
import { listCustomers, tagsByCustomer } from "../../commands/customers/list";
import { mayChangeNote } from "../../commands/customers/notes";
import { memberOptions, tagNames } from "../../commands/customers/options";
import { segmentsOf } from "../../commands/customers/segments";
import { tasksOfCustomer } from "../../commands/tasks/list";
import { createCustomer, deleteCustomers, updateCustomer } from "../../commands/customers/writes";
import { isAppError } from "../../errors";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { hasFeature, requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { can } from "../../policies/permissions";
import { presentCustomer } from "../../presenters/customer";
import { listLink, sizeOptions, sortOptions } from "../../presenters/customerList";
import { presentTaskRow } from "../../presenters/task";
import { presentTimeline } from "../../presenters/timeline";
import { authorize, requireBusiness, tenantOf, type TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { pageSchema } from "./schema";

type Values = Record<string, unknown>;

/** The customer form's values from a stored customer (the same names the form posts). */
function formValues(customer: ReturnType<typeof presentCustomer>): Values {
  return {
    name: customer.name,
    email: customer.email ?? "",
    phone: customer.phoneDisplay,
    whatsapp: customer.whatsapp === customer.phone ? "" : (customer.whatsappDisplay ?? ""),
    tags: customer.tags.join(", "),
    consentAt: customer.consentAt ?? "",
    birthDate: customer.birthDate ?? "",
    anniversary: customer.anniversary ?? "",
    ownerId: customer.ownerId ?? "",
  };
}

/** Customers: the list with filters, create, edit, the customer page and delete. */
export function customerPages(deps: Deps): Router {
  const router = Router();
  router.use("/customers", requireUser, requireBusiness, requireFeature("customers"));
  // Only numeric ids are customers: /customers/export.csv and friends belong to other routers.
  router.param("customerId", (_req, _res, next, id: string) =>
    next(/^\d+$/.test(id) ? undefined : "route"),
  );

  async function renderList(req: Request, res: Response, ctx: TenantContext) {
    authorize(ctx, "customers.view");
    const parsed = parseForm(customerFilterSchema, req.query);
    const filter: CustomerFilter = parsed.ok ? parsed.data : {};
    const page = pageSchema.parse(req.query);
    const [result, members, tags, segments] = await Promise.all([
      listCustomers(deps, ctx, filter, page),
      memberOptions(deps, ctx),
      tagNames(deps, ctx),
      hasFeature(ctx.plan, "segments") ? segmentsOf(deps, ctx) : Promise.resolve([]),
    ]);
    const tagMap = await tagsByCustomer(
      deps,
      ctx,
      result.rows.map((c) => c.id),
    );
    const keep = {
      sort: page.sort === "name" ? undefined : page.sort,
      size: page.size === 25 ? undefined : page.size,
    };
    res.status(parsed.ok ? 200 : 422).render("customers/index", {
      title: "Customers",
      csrfToken: csrfToken(req),
      customers: result.rows.map((c) => presentCustomer(c, ctx.business, tagMap.get(c.id))),
      total: result.total,
      totalCapped: result.totalCapped,
      nextLink: result.next ? listLink(filter, { ...keep, after: result.next }) : null,
      prevLink: result.prev ? listLink(filter, { ...keep, before: result.prev }) : null,
      exportCsv: listLink(filter, {}).replace("/customers", "/customers/export.csv"),
      exportXlsx: listLink(filter, {}).replace("/customers", "/customers/export.xlsx"),
      filter: { ...filter, tags: filter.tags?.join(", ") ?? "", all: filter.tagMode === "all" },
      filtered: Object.keys(filter).length > 0,
      errors: parsed.ok ? {} : { ...parsed.errors, form: Object.values(parsed.errors).join(" ") },
      values: req.query,
      sortOptions: sortOptions(page.sort),
      sizeOptions: sizeOptions(page.size),
      members: members.map((m) => ({ ...m, selected: m.id === filter.ownerId })),
      tagNames: tags,
      segments: segments.map((s) => ({ id: s.id, name: s.name })),
      canManage: can(ctx.membership.role, "customers.manage"),
      canExport: can(ctx.membership.role, "customers.export"),
      canSaveSegments: hasFeature(ctx.plan, "segments"),
    });
  }

  router.get("/customers", (req, res) => renderList(req, res, tenantOf(req)));

  async function renderForm(
    req: Request,
    res: Response,
    view: {
      customerId?: number;
      values: Values;
      errors?: FieldErrors;
      status?: number;
      existing?: string;
    },
  ) {
    const ctx = tenantOf(req);
    const [members, tags] = await Promise.all([memberOptions(deps, ctx), tagNames(deps, ctx)]);
    const owner = Number(view.values.ownerId || ctx.user.id);
    res.status(view.status ?? 200).render("customers/form", {
      title: view.customerId ? "Edit customer" : "New customer",
      csrfToken: csrfToken(req),
      action: view.customerId ? `/customers/${view.customerId}` : "/customers",
      customerId: view.customerId,
      values: view.values,
      errors: view.errors ?? {},
      existing: view.existing,
      members: members.map((m) => ({ ...m, selected: m.id === owner })),
      tagNames: tags,
      country: ctx.business.country,
    });
  }

  /** Saves through `save`; field errors and a duplicate phone come back to the form. */
  async function submit(
    req: Request,
    res: Response,
    customerId: number | undefined,
    save: (
      ctx: TenantContext,
      input: ReturnType<ReturnType<typeof customerInputSchema>["parse"]>,
    ) => Promise<{ id: number }>,
  ) {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const values = req.body as Values;
    const input = parseForm(customerInputSchema(ctx.business.country), values);
    if (!input.ok)
      return renderForm(req, res, { customerId, values, errors: input.errors, status: 422 });
    try {
      const saved = await save(ctx, input.data);
      flash(req, "success", customerId ? "Customer saved." : `${input.data.name} added.`);
      res.redirect(`/customers/${saved.id}`);
    } catch (error) {
      if (!isAppError(error) || !["conflict", "validation_failed", "plan_limit"].includes(error.id))
        throw error;
      const fields = (error.details?.fields as FieldErrors | undefined) ?? {};
      const existing = typeof error.details?.url === "string" ? error.details.url : undefined;
      const errors =
        error.id === "validation_failed"
          ? fields
          : { [existing ? "phone" : "form"]: error.message };
      return renderForm(req, res, { customerId, values, errors, status: error.status, existing });
    }
  }

  router.get("/customers/new", (req, res) => {
    authorize(tenantOf(req), "customers.manage");
    return renderForm(req, res, { values: {} });
  });

  router.post("/customers", (req, res) =>
    submit(req, res, undefined, (ctx, input) => createCustomer(deps, ctx, input)),
  );

  router.get("/customers/:customerId", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.view");
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const [details, tasks] = await Promise.all([
      customerDetails(deps, ctx, customer),
      tasksOfCustomer(deps, ctx, customer, 20),
    ]);
    const presented = presentCustomer(customer, ctx.business, details.tags);
    res.render("customers/show", {
      title: customer.name,
      csrfToken: csrfToken(req),
      customer: presented,
      owner: details.owner?.name ?? null,
      timeline: presentTimeline(details.events, details.notes, ctx.business.timeZone, (note) =>
        mayChangeNote(ctx, note),
      ),
      duplicates: details.duplicates.map((d) => presentCustomer(d, ctx.business)),
      tasks: tasks.map((task) => presentTaskRow(task, ctx.business.timeZone)),
      canManage: can(ctx.membership.role, "customers.manage"),
    });
  });

  router.get("/customers/:customerId/edit", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const { tags } = await customerDetails(deps, ctx, customer);
    return renderForm(req, res, {
      customerId: customer.id,
      values: formValues(presentCustomer(customer, ctx.business, tags)),
    });
  });

  router.post("/customers/:customerId", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    return submit(req, res, customer.id, (c, input) => updateCustomer(deps, c, customer, input));
  });

  router.post("/customers/:customerId/delete", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    await deleteCustomers(deps, ctx, [customer.id]);
    flash(req, "success", `${customer.name} deleted.`);
    res.redirect("/customers");
  });

  return router;
}

import type { Request, Response } from "express";
import { customerDetails } from "../../commands/customers/details";
import type { customerInputSchema } from "../../commands/customers/input";
import { mayChangeNote } from "../../commands/customers/notes";
import { memberOptions, tagNames } from "../../commands/customers/options";
import { createCustomer, deleteCustomers, updateCustomer } from "../../commands/customers/writes";
import { tasksOfCustomer } from "../../commands/tasks/list";
import { listTickets } from "../../commands/tickets/list";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import type { Deps } from "../../deps";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Customer } from "../../models";
import { mayAssignOwners } from "../../policies/customers";
import { can } from "../../policies/permissions";
import { hasFeature } from "../../plans/planGate";
import { presentCustomer } from "../../presenters/customer";
import { presentTaskRow } from "../../presenters/task";
import { presentTicketRow } from "../../presenters/ticketsViews";
import { presentTimeline } from "../../presenters/timeline";
import { dealsOfCustomer } from "../deals/customerDeals";
import type { TenantContext } from "../../tenancy/context";
import type { customerParams } from "./schema";

type Values = Record<string, unknown>;
type CustomerForm = ReturnType<typeof customerInputSchema>;
type OneCustomer = { params: typeof customerParams; record: Customer };

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

async function renderForm(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  view: {
    customerId?: number;
    values: Values;
    errors?: FieldErrors;
    status?: number;
    existing?: string;
  },
) {
  // The owner picker is for members who may hand customers to others (policies/customers.ts);
  // everyone else owns what they create and keeps what they own.
  const assigns = mayAssignOwners(ctx);
  const [members, tags] = await Promise.all([
    assigns ? memberOptions(deps, ctx) : [],
    tagNames(deps, ctx),
  ]);
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
    assignsOwner: assigns,
    tagNames: tags,
    country: ctx.business.country,
  });
}

/**
 * Field errors, a duplicate phone (with a link to that customer when the member may open it) or
 * a plan limit, on the form.
 */
export function renderCustomerFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Customer | undefined }>,
  failure: FormFailure,
) {
  const url = failure.error.details?.url;
  return renderForm(req, res, deps, ctx, {
    customerId: record?.id,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
    existing: typeof url === "string" ? url : undefined,
  });
}

/** GET /customers/new */
export function showNew({ req, res, deps, ctx }: PageCall) {
  return renderForm(req, res, deps, ctx, { values: {} });
}

/** POST /customers */
export async function create({ deps, ctx, body }: PageCall<{ body: CustomerForm }>) {
  const saved = await createCustomer(deps, ctx, body);
  return redirect(`/customers/${saved.id}`, `${body.name} added.`);
}

/** GET /customers/:customerId: details, timeline with notes, duplicates, tasks. */
export async function showCustomer({
  req,
  res,
  deps,
  ctx,
  record: customer,
}: PageCall<OneCustomer>) {
  const [details, tasks, tickets, deals] = await Promise.all([
    customerDetails(deps, ctx, customer),
    tasksOfCustomer(deps, ctx, customer, 20),
    ticketsOfCustomer(deps, ctx, customer.id),
    dealsOfCustomer(deps, ctx, customer.id),
  ]);
  res.render("customers/show", {
    title: customer.name,
    csrfToken: csrfToken(req),
    customer: presentCustomer(customer, details.tags),
    owner: details.owner?.name ?? null,
    timeline: presentTimeline(details.events, details.notes, ctx.business.timeZone, (note) =>
      mayChangeNote(ctx, note),
    ),
    duplicates: details.duplicates.map((d) => presentCustomer(d)),
    tasks: tasks.map((task) => presentTaskRow(task, ctx.business.timeZone)),
    canManage: can(ctx.membership.role, "customers.manage"),
    tickets,
    deals,
  });
}

/**
 * The customer's latest tickets for the customer page, for members who work tickets in a plan
 * that has them (null hides the card).
 */
async function ticketsOfCustomer(deps: Deps, ctx: TenantContext, customerId: number) {
  if (!hasFeature(ctx.plan, "tickets") || !can(ctx.membership.role, "tickets.view")) return null;
  const now = deps.clock.now();
  const rows = await listTickets(deps, ctx, { status: "any", customerId }, { limit: 10 }, now);
  return {
    rows: rows.slice(0, 10).map((ticket) => presentTicketRow(ticket, ctx.business.timeZone, now)),
    more: rows.length > 10,
    canCreate: can(ctx.membership.role, "tickets.manage"),
  };
}

/** GET /customers/:customerId/edit */
export async function showEdit({ req, res, deps, ctx, record: customer }: PageCall<OneCustomer>) {
  const { tags } = await customerDetails(deps, ctx, customer);
  return renderForm(req, res, deps, ctx, {
    customerId: customer.id,
    values: formValues(presentCustomer(customer, tags)),
  });
}

/** POST /customers/:customerId */
export async function update({
  deps,
  ctx,
  body,
  record: customer,
}: PageCall<OneCustomer & { body: CustomerForm }>) {
  const saved = await updateCustomer(deps, ctx, customer, body);
  return redirect(`/customers/${saved.id}`, "Customer saved.");
}

/** POST /customers/:customerId/delete */
export async function remove({ deps, ctx, record: customer }: PageCall<OneCustomer>) {
  await deleteCustomers(deps, ctx, [customer.id]);
  return redirect("/customers", `${customer.name} deleted.`);
}

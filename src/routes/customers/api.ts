import { Router, type Request } from "express";
import type { CustomerFilter } from "../../commands/customers/filter";
import { customerInputSchema } from "../../commands/customers/input";
import { listCustomers, tagsByCustomer, type PageRequest } from "../../commands/customers/list";
import {
  addNote,
  deleteNote,
  editNote,
  mayChangeNote,
  notesOf,
} from "../../commands/customers/notes";
import { createCustomer, deleteCustomers, updateCustomer } from "../../commands/customers/writes";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { requireApiUser } from "../../middleware/bearerAuth";
import type { Customer } from "../../models";
import { presentCustomer } from "../../presenters/customer";
import { presentNote } from "../../presenters/note";
import { authorize, requireBusiness, tenantOf, type TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { bodyObject, customerFields, listQuery, noteBodySchema, validated } from "./apiSchema";

/** The success envelope of DESIGN.md. */
export function envelope<T>(data: T, message: string, statusCode = 200) {
  return { statusCode, data, message };
}

async function presentWithTags(deps: Deps, ctx: TenantContext, customer: Customer) {
  const tags = await tagsByCustomer(deps, ctx, [customer.id]);
  return presentCustomer(customer, ctx.business, tags.get(customer.id) ?? []);
}

/** One page of customers as the API lists them (the customers list and a segment's customers). */
export async function customerPage(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  page: PageRequest,
) {
  const result = await listCustomers(deps, ctx, filter, page);
  const tags = await tagsByCustomer(
    deps,
    ctx,
    result.rows.map((c) => c.id),
  );
  return {
    items: result.rows.map((c) => presentCustomer(c, ctx.business, tags.get(c.id) ?? [])),
    next: result.next,
    prev: result.prev,
    total: result.total,
    totalCapped: result.totalCapped,
  };
}

/**
 * /api/v1/customers and their notes. Each handler loads the record first (another business's id
 * is a 404 before anything else), then checks the role, then the input — a member who may not
 * write is not told what is wrong with what they sent.
 */
export function customersApi(deps: Deps): Router {
  const router = Router();
  router.use("/customers", requireApiUser, requireBusiness);

  const customerOf = (req: Request) =>
    findInBusiness(tenantOf(req), deps.models.Customer, req.params.customerId);

  /** A note of this customer; a note of another customer is as absent as another tenant's. */
  async function noteOf(req: Request, customer: Customer) {
    const note = await findInBusiness(tenantOf(req), deps.models.Note, req.params.noteId, {
      include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
    });
    if (note.customerId !== customer.id) throw AppError.notFound();
    return note;
  }

  router.get("/customers", async (req, res) => {
    const ctx = tenantOf(req);
    const { filter, page } = listQuery(req.query);
    authorize(ctx, "customers.view");
    res.json(envelope(await customerPage(deps, ctx, filter, page), "Customers."));
  });

  router.post("/customers", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    const input = validated(customerInputSchema(ctx.business.country), bodyObject(req));
    const customer = await createCustomer(deps, ctx, input);
    res.status(201).location(`/api/v1/customers/${customer.id}`);
    res.json(envelope(await presentWithTags(deps, ctx, customer), "Customer created.", 201));
  });

  router.get("/customers/:customerId", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await customerOf(req);
    authorize(ctx, "customers.view");
    res.json(envelope(await presentWithTags(deps, ctx, customer), "Customer."));
  });

  router.patch("/customers/:customerId", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await customerOf(req);
    authorize(ctx, "customers.manage");
    const body = bodyObject(req);
    // Partial update: what was sent, over what the customer has, checked as a whole customer.
    const current = await presentWithTags(deps, ctx, customer);
    const merged: Record<string, unknown> = {
      name: current.name,
      email: current.email,
      phone: current.phone,
      whatsapp: current.whatsapp,
      tags: current.tags,
      consentAt: current.consentAt,
      birthDate: current.birthDate,
      anniversary: current.anniversary,
      ownerId: current.ownerId,
    };
    for (const field of customerFields) if (field in body) merged[field] = body[field];
    const input = validated(customerInputSchema(ctx.business.country), merged);
    await updateCustomer(deps, ctx, customer, input);
    res.json(envelope(await presentWithTags(deps, ctx, customer), "Customer updated."));
  });

  router.delete("/customers/:customerId", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await customerOf(req);
    await deleteCustomers(deps, ctx, [customer.id]);
    res.json(envelope({ id: customer.id }, "Customer deleted."));
  });

  router.get("/customers/:customerId/notes", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await customerOf(req);
    authorize(ctx, "customers.view");
    const notes = await notesOf(deps, ctx, customer);
    const items = notes.map((note) => presentNote(note, mayChangeNote(ctx, note)));
    res.json(envelope({ items }, "Notes."));
  });

  router.post("/customers/:customerId/notes", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await customerOf(req);
    authorize(ctx, "customers.manage");
    const { body } = validated(noteBodySchema, bodyObject(req));
    const note = await addNote(deps, ctx, customer, body);
    res.status(201).json(envelope(presentNote(note, true, ctx.user.name), "Note added.", 201));
  });

  router.patch("/customers/:customerId/notes/:noteId", async (req, res) => {
    const ctx = tenantOf(req);
    const note = await noteOf(req, await customerOf(req));
    authorize(ctx, "customers.manage");
    const { body } = validated(noteBodySchema, bodyObject(req));
    await editNote(deps, ctx, note, body);
    res.json(envelope(presentNote(note, true), "Note updated."));
  });

  router.delete("/customers/:customerId/notes/:noteId", async (req, res) => {
    const ctx = tenantOf(req);
    const note = await noteOf(req, await customerOf(req));
    await deleteNote(deps, ctx, note);
    res.json(envelope({ id: note.id }, "Note deleted."));
  });

  return router;
}

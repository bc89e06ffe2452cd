import { customerInputSchema } from "../../commands/customers/input";
import {
  addNote,
  deleteNote,
  editNote,
  mayChangeNote,
  notesOf,
} from "../../commands/customers/notes";
import { createCustomer, deleteCustomers, updateCustomer } from "../../commands/customers/writes";
import type { ApiCall, LoadCall } from "../../http/endpoint";
import { pageInMemory, type pageQuerySchema } from "../../http/pagination";
import { page, reply } from "../../http/outcomes";
import type { Customer, Note } from "../../models";
import { presentNote } from "../../presenters/note";
import type { TenantContext } from "../../tenancy/context";
import type { apiListQuerySchema, customerPatchSchema, noteBodySchema } from "./apiSchema";
import { customerPage, presentWithTags } from "./apiPresent";
import { loadCustomer } from "./loaders";
import type { customerParams, noteParams } from "./schema";

type OneCustomer = { params: typeof customerParams; record: Customer };
type Patched = {
  params: typeof customerParams;
  record: { customer: Customer; current: Record<string, unknown> };
};
type OneNote = { params: typeof noteParams; record: { customer: Customer; note: Note } };

/** The customer, and its fields as the API shows them, for a partial update to go over. */
export async function loadForPatch(call: LoadCall<TenantContext, { customerId: number }>) {
  const customer = await loadCustomer(call);
  return { customer, current: await presentWithTags(call.deps, call.ctx, customer) };
}

/** The create body, read in the business's own country (phone numbers). */
export const customerBody = (ctx: TenantContext) => customerInputSchema(ctx.business.country);

/** GET /api/v1/customers */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof apiListQuerySchema }>) {
  const { items, nextCursor } = await customerPage(deps, ctx, query.filter, query.page);
  return page(items, nextCursor, "Customers.");
}

/** POST /api/v1/customers */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: ReturnType<typeof customerBody> }>) {
  const customer = await createCustomer(deps, ctx, body);
  return reply(await presentWithTags(deps, ctx, customer), "Customer created.", {
    status: 201,
    location: `/api/v1/customers/${customer.id}`,
  });
}

/** GET /api/v1/customers/:customerId */
export async function showApi({ deps, ctx, record: customer }: ApiCall<OneCustomer>) {
  return reply(await presentWithTags(deps, ctx, customer), "Customer.");
}

/** PATCH /api/v1/customers/:customerId: a partial update, checked as a whole customer. */
export async function updateApi({
  deps,
  ctx,
  body,
  record: { customer },
}: ApiCall<Patched & { body: ReturnType<typeof customerPatchSchema> }>) {
  await updateCustomer(deps, ctx, customer, body);
  return reply(await presentWithTags(deps, ctx, customer), "Customer updated.");
}

/** DELETE /api/v1/customers/:customerId */
export async function deleteApi({ deps, ctx, record: customer }: ApiCall<OneCustomer>) {
  await deleteCustomers(deps, ctx, [customer.id]);
  return reply({ id: customer.id }, "Customer deleted.");
}

/** GET /api/v1/customers/:customerId/notes */
export async function listNotesApi({
  deps,
  ctx,
  query,
  record: customer,
}: ApiCall<OneCustomer & { query: typeof pageQuerySchema }>) {
  const notes = await notesOf(deps, ctx, customer);
  const { rows, nextCursor } = pageInMemory(notes, query, (note) => note.id);
  const items = rows.map((note) => presentNote(note, mayChangeNote(ctx, note)));
  return page(items, nextCursor, "Notes.");
}

/** POST /api/v1/customers/:customerId/notes */
export async function addNoteApi({
  deps,
  ctx,
  body,
  record: customer,
}: ApiCall<OneCustomer & { body: typeof noteBodySchema }>) {
  const note = await addNote(deps, ctx, customer, body.body);
  return reply(presentNote(note, true, ctx.user.name), "Note added.", { status: 201 });
}

/** PATCH /api/v1/customers/:customerId/notes/:noteId */
export async function editNoteApi({
  deps,
  ctx,
  body,
  record: { note },
}: ApiCall<OneNote & { body: typeof noteBodySchema }>) {
  await editNote(deps, ctx, note, body.body);
  return reply(presentNote(note, true), "Note updated.");
}

/** DELETE /api/v1/customers/:customerId/notes/:noteId */
export async function deleteNoteApi({ deps, ctx, record: { note } }: ApiCall<OneNote>) {
  await deleteNote(deps, ctx, note);
  return reply({ id: note.id }, "Note deleted.");
}

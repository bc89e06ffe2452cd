import { addNote, deleteNote, editNote } from "../../commands/customers/notes";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { Customer, Note } from "../../models";
import type { customerParams, noteParams, noteSchema } from "./schema";

type OfCustomer = { params: typeof customerParams; record: Customer };
type OneNote = { params: typeof noteParams; record: { customer: Customer; note: Note } };

/** A note form sits on the customer's page: a bad body comes back there as a flash. */
export function backToCustomer({ params }: PageFormCall<{ params: typeof customerParams }>) {
  return `/customers/${params.customerId}`;
}

export function noteMessage(failure: FormFailure): string {
  return failure.errors.body ?? failure.error.message;
}

/** POST /customers/:customerId/notes */
export async function add({
  deps,
  ctx,
  body,
  record: customer,
}: PageCall<OfCustomer & { body: typeof noteSchema }>) {
  await addNote(deps, ctx, customer, body.body);
  return redirect(`/customers/${customer.id}`, "Note added.");
}

/** POST /customers/:customerId/notes/:noteId (authors edit their own) */
export async function edit({
  deps,
  ctx,
  body,
  record: { customer, note },
}: PageCall<OneNote & { body: typeof noteSchema }>) {
  await editNote(deps, ctx, note, body.body);
  return redirect(`/customers/${customer.id}`, "Note saved.");
}

/** POST /customers/:customerId/notes/:noteId/delete */
export async function remove({ deps, ctx, record: { customer, note } }: PageCall<OneNote>) {
  await deleteNote(deps, ctx, note);
  return redirect(`/customers/${customer.id}`, "Note deleted.");
}

import { Router, type Request } from "express";
import type { Deps } from "../../deps";
import { addNote, deleteNote, editNote } from "../../commands/customers/notes";
import { AppError, isAppError } from "../../errors";
import { parseForm } from "../../lib/forms";
import { requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { noteSchema } from "./schema";

/** Notes on the customer page: add, edit and delete (authors their own). */
export function customerNotePages(deps: Deps): Router {
  const router = Router();
  router.use("/customers", requireUser, requireBusiness, requireFeature("customers"));

  async function noteOf(req: Request) {
    const ctx = tenantOf(req);
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const note = await findInBusiness(ctx, deps.models.Note, req.params.noteId);
    // A note id under another customer's URL is not that customer's note.
    if (note.customerId !== customer.id) throw AppError.notFound();
    return { ctx, customer, note };
  }

  /** Runs a note change; a bad body comes back as a flash on the customer page. */
  async function attempt(
    req: Request,
    customerId: number,
    work: () => Promise<unknown>,
    done: string,
  ) {
    try {
      await work();
      flash(req, "success", done);
    } catch (error) {
      if (!isAppError(error) || error.id !== "validation_failed") throw error;
      const fields = (error.details?.fields ?? {}) as Record<string, string>;
      flash(req, "danger", fields.body ?? error.message);
    }
    return `/customers/${customerId}`;
  }

  router.post("/customers/:customerId/notes", async (req, res) => {
    const ctx = tenantOf(req);
    const customer = await findInBusiness(ctx, deps.models.Customer, req.params.customerId);
    const input = parseForm(noteSchema, req.body);
    const body = input.ok ? input.data.body : "";
    res.redirect(
      await attempt(req, customer.id, () => addNote(deps, ctx, customer, body), "Note added."),
    );
  });

  router.post("/customers/:customerId/notes/:noteId", async (req, res) => {
    const { ctx, customer, note } = await noteOf(req);
    const input = parseForm(noteSchema, req.body);
    const body = input.ok ? input.data.body : "";
    res.redirect(
      await attempt(req, customer.id, () => editNote(deps, ctx, note, body), "Note saved."),
    );
  });

  router.post("/customers/:customerId/notes/:noteId/delete", async (req, res) => {
    const { ctx, customer, note } = await noteOf(req);
    res.redirect(
      await attempt(req, customer.id, () => deleteNote(deps, ctx, note), "Note deleted."),
    );
  });

  return router;
}

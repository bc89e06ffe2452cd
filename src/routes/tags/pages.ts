import { Router, type Request } from "express";
import type { Deps } from "../../deps";
import { deleteTag, renameTag, tagsWithCounts } from "../../commands/customers/tags";
import { isAppError } from "../../errors";
import { parseForm } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { can } from "../../policies/permissions";
import { requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { tagNameSchema } from "../customers/schema";

/** The tags page: counts, rename (onto an existing name = merge), delete. */
export function tagPages(deps: Deps): Router {
  const router = Router();
  router.use("/tags", requireUser, requireBusiness, requireFeature("customers"));

  router.get("/tags", async (req, res) => {
    const ctx = tenantOf(req);
    const tags = await tagsWithCounts(deps, ctx);
    res.render("tags/index", {
      title: "Tags",
      csrfToken: csrfToken(req),
      tags: tags.map((t) => ({ ...t, link: `/customers?tags=${encodeURIComponent(t.name)}` })),
      canManage: can(ctx.membership.role, "customers.manage"),
    });
  });

  const tagOf = async (req: Request) => {
    const ctx = tenantOf(req);
    return { ctx, tag: await findInBusiness(ctx, deps.models.Tag, req.params.tagId) };
  };

  router.post("/tags/:tagId/rename", async (req, res) => {
    const { ctx, tag } = await tagOf(req);
    const input = parseForm(tagNameSchema, req.body);
    if (!input.ok) {
      flash(req, "danger", input.errors.name ?? "Enter a tag name.");
      return res.redirect("/tags");
    }
    const oldName = tag.name;
    try {
      const result = await renameTag(deps, ctx, tag, input.data.name);
      flash(
        req,
        "success",
        result.id === tag.id
          ? `Renamed ${oldName} to ${result.name}.`
          : `Merged ${oldName} into ${result.name}.`,
      );
    } catch (error) {
      if (!isAppError(error) || error.id !== "validation_failed") throw error;
      flash(req, "danger", "Enter a tag name (at most 64 characters).");
    }
    res.redirect("/tags");
  });

  router.post("/tags/:tagId/delete", async (req, res) => {
    const { ctx, tag } = await tagOf(req);
    await deleteTag(deps, ctx, tag);
    flash(req, "success", `Deleted the tag ${tag.name}.`);
    res.redirect("/tags");
  });

  return router;
}

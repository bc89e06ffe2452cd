import { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { Deps } from "../../deps";
import { tenantOverview } from "../../commands/tenantOverview";
import { AppError } from "../../errors";
import { requireUser } from "../../middleware/currentUser";

/** Platform admins only; to everyone else the page does not exist. */
function requirePlatformAdmin(req: Request, _res: Response, next: NextFunction): void {
  next(req.currentUser?.isPlatformAdmin ? undefined : AppError.notFound());
}

const querySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

export function adminPages(deps: Deps): Router {
  const router = Router();
  router.use("/admin", requireUser, requirePlatformAdmin);

  router.get("/admin", async (req, res) => {
    const { page } = querySchema.parse(req.query);
    const { rows, total } = await tenantOverview(deps.models, page);
    res.render("admin/tenants", {
      title: "Tenants",
      total,
      tenants: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString().slice(0, 10) })),
      page,
      previousPage: page > 1 ? page - 1 : null,
      nextPage: page * 100 < total ? page + 1 : null,
    });
  });

  return router;
}

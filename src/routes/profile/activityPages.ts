import { Router } from "express";
import type { Deps } from "../../deps";
import { presentActivity } from "../../presenters/activity";
import { pageSchema } from "./schema";
import { currentUserRecord } from "./view";

export const activityPageSize = 50;

/** Profile → Activity: the person's own log (sign-ins, security changes, key actions). */
export function activityPages(deps: Deps): Router {
  const router = Router();

  router.get("/profile/activity", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const { page } = pageSchema.parse(req.query);
    const { rows, count } = await deps.models.ActivityLog.findAndCountAll({
      where: { userId: user.id },
      order: [
        ["createdAt", "DESC"],
        ["id", "DESC"],
      ],
      limit: activityPageSize,
      offset: (page - 1) * activityPageSize,
    });
    const pages = Math.max(1, Math.ceil(count / activityPageSize));
    res.render("profile/activity", {
      title: "My activity",
      tab: "activity",
      entries: rows.map(presentActivity),
      total: count,
      pagination: {
        page,
        pages,
        previous: page > 1 ? Math.min(page - 1, pages) : null,
        next: page < pages ? page + 1 : null,
        show: pages > 1,
      },
    });
  });

  return router;
}

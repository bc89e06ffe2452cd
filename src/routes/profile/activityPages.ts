import { activityPage } from "../../commands/accountQueries";
import type { AccountCall } from "../../http/endpoint";
import { presentActivity } from "../../presenters/activity";
import { accountTimeZone } from "../../presenters/session";
import type { pageSchema } from "./schema";

export const activityPageSize = 50;

/** GET /profile/activity: the person's own log (sign-ins, security changes, key actions). */
export async function showActivity({
  res,
  deps,
  ctx,
  query: { page },
}: AccountCall<{ query: typeof pageSchema }>) {
  const { rows, count } = await activityPage(deps.models, ctx.user.id, {
    number: page,
    size: activityPageSize,
  });
  const pages = Math.max(1, Math.ceil(count / activityPageSize));
  const timeZone = accountTimeZone(ctx);
  res.render("profile/activity", {
    title: "My activity",
    tab: "activity",
    timeZone,
    entries: rows.map((row) => presentActivity(row, timeZone)),
    total: count,
    pagination: {
      page,
      pages,
      previous: page > 1 ? Math.min(page - 1, pages) : null,
      next: page < pages ? page + 1 : null,
      show: pages > 1,
    },
  });
}

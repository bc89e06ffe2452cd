import { AppError } from "../errors";
import type { ActivityLog, Models, User } from "../models";
import { acrossBusinesses } from "../tenancy/scope";

/** Reads of a person's own account, for their profile pages (never another person's). */

/** The signed-in person's row; a session whose user is gone reads as signed out. */
export async function accountOf(models: Pick<Models, "User">, userId: number): Promise<User> {
  const user = await models.User.findByPk(userId);
  if (!user) throw new AppError("unauthorized");
  return user;
}

/** One page of the person's activity log, newest first, and how many entries there are. */
export async function activityPage(
  models: Pick<Models, "ActivityLog">,
  userId: number,
  page: { number: number; size: number },
): Promise<{ rows: ActivityLog[]; count: number }> {
  return models.ActivityLog.findAndCountAll({
    where: acrossBusinesses("a person's own activity log spans every business they act in", {
      userId,
    }),
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
    limit: page.size,
    offset: (page.number - 1) * page.size,
  });
}

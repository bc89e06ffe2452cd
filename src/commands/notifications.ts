import { Op } from "sequelize";
import type { Deps } from "../deps";
import type { Models, Notification } from "../models";
import { businessScope, tenantWhere } from "../tenancy/scope";

export interface NotificationInput {
  businessId: number;
  userId: number;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
  /** Same key for the same user → stored once, so a retried job cannot notify twice. */
  dedupeKey: string;
}

/**
 * In-app notifications: a member's own, in one business. The reads take the member and business
 * of the context asking (the header's unread count, the notifications page).
 */

/** Stores in-app notifications; returns the ones that were new (callers e-mail only those). */
export async function notify(
  models: Models,
  inputs: NotificationInput[],
): Promise<NotificationInput[]> {
  const fresh: NotificationInput[] = [];
  for (const input of inputs) {
    const [, created] = await models.Notification.findOrCreate({
      where: { userId: input.userId, dedupeKey: input.dedupeKey },
      defaults: {
        businessId: input.businessId,
        userId: input.userId,
        kind: input.kind,
        title: input.title,
        body: input.body ?? null,
        link: input.link ?? null,
        dedupeKey: input.dedupeKey,
        readAt: null,
      },
    });
    if (created) fresh.push(input);
  }
  return fresh;
}

export async function unreadCount(
  models: Models,
  userId: number,
  businessId: number,
): Promise<number> {
  return models.Notification.count({
    where: tenantWhere(businessScope(businessId), models.Notification, { userId, readAt: null }),
  });
}

export async function recentNotifications(
  models: Models,
  userId: number,
  businessId: number,
  limit = 50,
): Promise<Notification[]> {
  return models.Notification.findAll({
    where: tenantWhere(businessScope(businessId), models.Notification, { userId }),
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
    limit,
  });
}

export async function markAllRead(
  deps: Pick<Deps, "models" | "clock">,
  userId: number,
  businessId: number,
): Promise<void> {
  const { Notification } = deps.models;
  await Notification.update(
    { readAt: deps.clock.now() },
    {
      where: tenantWhere(businessScope(businessId), Notification, {
        userId,
        readAt: { [Op.is]: null },
      }),
    },
  );
}

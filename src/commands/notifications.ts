import { Op } from "sequelize";
import type { Deps } from "../deps";
import {
  channelsOf,
  wantsEmail,
  wantsInApp,
  type NotificationChannel,
  type NotificationKey,
} from "../lib/notificationPreferences";
import type { Models, Notification } from "../models";
import { signalNotifications } from "../notifications/live";
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
 * The one notification service: features call notify() with what happened and for whom; each
 * person's preference for that kind (lib/notificationPreferences.ts: in the app, by e-mail, both or
 * neither) decides where it goes. In the app: a row in their bell, signalled live to their open
 * pages. By e-mail: the row waits as mail_status 'pending' for the batched sweep
 * (notifications/mail.ts), which sends one e-mail per person and business with everything of the
 * last few minutes. The reads take the member and business of the context asking.
 */

/** Which preference governs each kind; kinds without one always go to the bell. */
export const kindPreferences: Readonly<Record<string, NotificationKey>> = {
  task_due: "taskDue",
  task_assigned: "taskAssigned",
  form_submission: "formSubmission",
  import_finished: "importFinished",
  import_reverted: "importFinished",
  campaign_finished: "campaignFinished",
};

/**
 * Kinds whose feature sends its own e-mail at once (a task due in 15 minutes cannot wait for a
 * batch; overdue tickets and disabled webhooks are alerts): the sweep does not mail them again.
 */
const mailedByFeature = new Set(["task_due", "ticket_overdue", "webhook_disabled"]);

/** Where one notification goes for this person. */
export function routeOf(
  user: { notificationPrefs: string | null } | undefined,
  kind: string,
): { inApp: boolean; mail: boolean } {
  const key = kindPreferences[kind];
  const channel: NotificationChannel = key && user ? channelsOf(user)[key] : "both";
  return {
    inApp: wantsInApp(channel),
    mail: Boolean(key) && !mailedByFeature.has(kind) && wantsEmail(channel),
  };
}

/**
 * Stores the notifications each person wants and marks those to e-mail; returns the ones that were
 * new (features that mail themselves e-mail only those).
 */
export async function notify(
  models: Models,
  inputs: NotificationInput[],
): Promise<NotificationInput[]> {
  if (inputs.length === 0) return [];
  const userIds = [...new Set(inputs.map((n) => n.userId))];
  const users = new Map(
    (
      await models.User.findAll({
        where: { id: userIds },
        attributes: ["id", "notificationPrefs"],
      })
    ).map((u) => [u.id, u]),
  );
  const fresh: NotificationInput[] = [];
  const live: NotificationInput[] = [];
  for (const input of inputs) {
    const route = routeOf(users.get(input.userId), input.kind);
    if (!route.inApp && !route.mail) continue;
    const [row, created] = await models.Notification.findOrCreate({
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
        inApp: route.inApp,
        mailStatus: route.mail ? "pending" : null,
      },
    });
    if (!created) continue;
    fresh.push(input);
    if (route.inApp) live.push(input);
    // E-mail only: never unread in the bell (the top bar counts read_at IS NULL).
    else await row.update({ readAt: row.createdAt });
  }
  // Open pages of these members update their bell (notifications/live.ts).
  await signalNotifications(live.map((n) => ({ userId: n.userId, businessId: n.businessId })));
  return fresh;
}

export async function unreadCount(
  models: Models,
  userId: number,
  businessId: number,
): Promise<number> {
  return models.Notification.count({
    where: tenantWhere(businessScope(businessId), models.Notification, {
      userId,
      readAt: null,
      inApp: true,
    }),
  });
}

export async function recentNotifications(
  models: Models,
  userId: number,
  businessId: number,
  limit = 50,
): Promise<Notification[]> {
  return models.Notification.findAll({
    where: tenantWhere(businessScope(businessId), models.Notification, { userId, inApp: true }),
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
  await signalNotifications([{ userId, businessId }]);
}

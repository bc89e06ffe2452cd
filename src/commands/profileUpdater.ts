import type { Request } from "express";
import {
  channelsOf,
  notificationKeys,
  serializeChannels,
  type NotificationChannels,
} from "../lib/notificationPreferences";
import type { Models, User } from "../models";
import { logActivity } from "./activityLogger";

export async function updateName(
  models: Models,
  req: Request | null,
  user: User,
  name: string,
): Promise<void> {
  if (name === user.name) return;
  const from = user.name;
  await user.update({ name });
  await logActivity(models, req, {
    userId: user.id,
    action: "profile.updated",
    details: { fields: ["name"], from, to: name },
  });
}

export async function updateNotificationPreferences(
  models: Models,
  req: Request | null,
  user: User,
  channels: NotificationChannels,
): Promise<void> {
  const before = channelsOf(user);
  await user.update({ notificationPrefs: serializeChannels(channels) });
  const changed = notificationKeys.filter((key) => channels[key] !== before[key]);
  if (changed.length > 0) {
    await logActivity(models, req, {
      userId: user.id,
      action: "notifications.updated",
      details: { changed },
    });
  }
}

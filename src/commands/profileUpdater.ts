import type { Request } from "express";
import {
  channelsOf,
  notificationKeys,
  serializeChannels,
  type NotificationChannels,
} from "../lib/notificationPreferences";
import type { Models, User } from "../models";
import { logActivity } from "./activityLogger";
import { memberRenamed } from "./setup";

export async function updateName(
  models: Models,
  req: Request | null,
  user: User,
  name: string,
): Promise<void> {
  if (name === user.name) return;
  const from = user.name;
  const sequelize = models.User.sequelize;
  if (!sequelize) throw new Error("models are not initialised");
  // The name is a choice on their businesses' pages, remembered per setup version (setup.ts).
  await sequelize.transaction(async (transaction) => {
    await user.update({ name }, { transaction });
    await memberRenamed({ models }, user.id, transaction);
  });
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

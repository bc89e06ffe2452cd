import type { Request } from "express";
import {
  preferencesOf,
  serializePreferences,
  type NotificationPreferences,
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
  prefs: NotificationPreferences,
): Promise<void> {
  const before = preferencesOf(user);
  await user.update({ notificationPrefs: serializePreferences(prefs) });
  const changed = Object.keys(prefs).filter(
    (key) =>
      prefs[key as keyof NotificationPreferences] !== before[key as keyof NotificationPreferences],
  );
  if (changed.length > 0) {
    await logActivity(models, req, {
      userId: user.id,
      action: "notifications.updated",
      details: { changed },
    });
  }
}

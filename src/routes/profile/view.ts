import type { Request } from "express";
import { pendingEmailChange } from "../../commands/emailChanger";
import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import type { FieldErrors } from "../../lib/forms";
import {
  notificationDescriptions,
  notificationKeys,
  preferencesOf,
  type NotificationPreferences,
} from "../../lib/notificationPreferences";
import type { User } from "../../models";
import { presentUser } from "../../presenters/user";

/** The signed-in person's row, for commands (pages behind requireUser only). */
export async function currentUserRecord(deps: Pick<Deps, "models">, req: Request): Promise<User> {
  const user = req.currentUser ? await deps.models.User.findByPk(req.currentUser.id) : null;
  if (!user) throw new AppError("unauthorized");
  return user;
}

export interface ProfileViewOptions {
  values?: { name?: unknown; email?: unknown };
  errors?: FieldErrors;
  preferences?: NotificationPreferences;
}

/** A size limit as people read it: "2 MB", "1.5 MB", "500 KB". */
export function sizeText(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  const mb = bytes / 1_000_000;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** Everything the profile page shows; failed forms pass back what was typed and the errors. */
export async function profileView(deps: Deps, user: User, options: ProfileViewOptions = {}) {
  const presented = presentUser(user);
  const preferences = options.preferences ?? preferencesOf(user);
  return {
    title: "Profile",
    tab: "profile",
    profile: presented,
    values: { name: user.name, email: "", ...options.values },
    errors: options.errors ?? {},
    pendingEmail: await pendingEmailChange(deps.models, user.id),
    preferences: notificationKeys.map((key) => ({
      key,
      ...notificationDescriptions[key],
      checked: preferences[key],
    })),
    avatarMaxBytes: deps.config.AVATAR_MAX_BYTES,
    avatarMaxSize: sizeText(deps.config.AVATAR_MAX_BYTES),
  };
}

/** Field errors an AppError carries (validation, conflict), or null for any other error. */
export function fieldErrorsOf(error: unknown): { status: number; errors: FieldErrors } | null {
  if (!isAppError(error)) return null;
  const fields = error.details?.fields;
  if (typeof fields !== "object" || fields === null) return null;
  return { status: error.status, errors: fields as FieldErrors };
}

/** Scripts (the avatar uploader) ask for JSON; forms get pages. */
export function wantsJson(req: Request): boolean {
  return (req.get("accept") ?? "").includes("application/json");
}

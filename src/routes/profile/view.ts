import type { Request } from "express";
import { pendingEmailChange } from "../../commands/emailChanger";
import { accountOf } from "../../commands/accountQueries";
import type { Deps } from "../../deps";
import type { LoadCall } from "../../http/endpoint";
import type { FieldErrors } from "../../lib/forms";
import {
  notificationDescriptions,
  notificationKeys,
  preferencesOf,
  type NotificationPreferences,
} from "../../lib/notificationPreferences";
import type { User } from "../../models";
import { presentUser } from "../../presenters/user";
import type { RequestContext } from "../../tenancy/context";

/** Profile pages load the signed-in person's own row, for the commands that change it. */
export function loadMe({ deps, ctx }: LoadCall<RequestContext, unknown>): Promise<User> {
  return accountOf(deps.models, ctx.user.id);
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

/** Scripts (the avatar uploader) ask for JSON; forms get pages. */
export function wantsJson(req: Request): boolean {
  return (req.get("accept") ?? "").includes("application/json");
}

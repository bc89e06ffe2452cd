import type { Request } from "express";
import { pendingEmailChange } from "../../commands/emailChanger";
import { accountOf } from "../../commands/accountQueries";
import type { Deps } from "../../deps";
import type { LoadCall } from "../../http/endpoint";
import type { FieldErrors } from "../../lib/forms";
import {
  channelsOf,
  inAppKeys,
  notificationDescriptions,
  notificationKeys,
  wantsEmail,
  type NotificationChannel,
  type NotificationChannels,
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
  preferences?: NotificationChannels;
}

/** A size limit as people read it: "2 MB", "1.5 MB", "500 KB". */
export function sizeText(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  const mb = bytes / 1_000_000;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

const channelLabels: Array<[NotificationChannel, string]> = [
  ["both", "In the app and by e-mail"],
  ["in_app", "In the app only"],
  ["email", "By e-mail only"],
  ["none", "Not at all"],
];

/** Everything the profile page shows; failed forms pass back what was typed and the errors. */
export async function profileView(deps: Deps, user: User, options: ProfileViewOptions = {}) {
  const presented = presentUser(user);
  const preferences = options.preferences ?? channelsOf(user);
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
      inApp: inAppKeys.has(key),
      checked: wantsEmail(preferences[key]),
      options: channelLabels.map(([value, label]) => ({
        value,
        label,
        selected: preferences[key] === value,
      })),
    })),
    avatarMaxBytes: deps.config.AVATAR_MAX_BYTES,
    avatarMaxSize: sizeText(deps.config.AVATAR_MAX_BYTES),
  };
}

/** Scripts (the avatar uploader) ask for JSON; forms get pages. */
export function wantsJson(req: Request): boolean {
  return (req.get("accept") ?? "").includes("application/json");
}

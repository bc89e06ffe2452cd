import type { ActivityLog } from "../models";
import { describeUserAgent } from "../lib/userAgent";
import { presentTime, type PresentedTime } from "./session";

/** Human-readable names of the actions features log; unknown ones are spelled out from the id. */
const actionLabels: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "auth.sign_in_failed": "Failed sign-in attempt",
  "auth.google_sign_in": "Signed in with Google",
  "account.created": "Created the account",
  "account.activated": "Activated the account",
  "password.changed": "Changed the password",
  "password.reset_requested": "Asked for a password reset",
  "password.reset": "Reset the password",
  "email.change_requested": "Asked to change the e-mail address",
  "email.changed": "Changed the e-mail address",
  "profile.updated": "Updated the profile",
  "avatar.changed": "Changed the profile photo",
  "avatar.removed": "Removed the profile photo",
  "notifications.updated": "Changed notification preferences",
  "session.revoked": "Signed out a session",
  "api.token_issued": "Signed in an API client",
  "personal_token.created": "Created a personal API token",
  "personal_token.revoked": "Revoked a personal API token",
  "business.created": "Created a business",
  "business.switched": "Switched business",
  "invitation.accepted": "Joined a business",
};

export function actionLabel(action: string): string {
  const known = actionLabels[action];
  if (known) return known;
  const words = action.replace(/[._]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : "Activity";
}

/** The facts worth a line under the label; everything else in details stays in the database. */
function summary(action: string, details: Record<string, unknown>): string | null {
  const text = (key: string) => (typeof details[key] === "string" ? details[key] : null);
  switch (action) {
    case "email.change_requested":
      return text("newEmail") && `New address: ${text("newEmail")}`;
    case "email.changed":
      return text("from") && text("to") && `${text("from")} → ${text("to")}`;
    case "personal_token.created":
    case "personal_token.revoked":
      return text("name");
    case "session.revoked":
      if (typeof details.count === "number")
        return `All other sessions (${details.count}) signed out`;
      return text("device") && `${text("device")}${text("ip") ? `, ${text("ip")}` : ""}`;
    default:
      return null;
  }
}

function parseDetails(details: string | null): Record<string, unknown> {
  if (!details) return {};
  try {
    const parsed: unknown = JSON.parse(details);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface PresentedActivity {
  at: PresentedTime;
  action: string;
  label: string;
  summary: string | null;
  ip: string;
  device: string;
}

export function presentActivity(entry: ActivityLog, timeZone: string): PresentedActivity {
  return {
    at: presentTime(entry.createdAt, timeZone),
    action: entry.action,
    label: actionLabel(entry.action),
    summary: summary(entry.action, parseDetails(entry.details)),
    ip: entry.ip ?? "—",
    device: entry.userAgent ? describeUserAgent(entry.userAgent).label : "—",
  };
}

import type { Request } from "express";
import type { Models } from "../models";

export interface ActivityEntry {
  userId: number;
  businessId?: number | null;
  /** Dotted and stable, e.g. "auth.sign_in", "password.changed", "business.created". */
  action: string;
  details?: Record<string, unknown>;
}

/** Where a request came from, for the activity log and the sessions list. */
export function clientOf(req: Request): { ip: string | null; userAgent: string | null } {
  return { ip: req.ip ?? null, userAgent: req.get("user-agent")?.slice(0, 255) ?? null };
}

/** Records one entry of a person's own activity log ("my activity"). */
export async function logActivity(
  models: Models,
  req: Request | null,
  entry: ActivityEntry,
): Promise<void> {
  const client = req ? clientOf(req) : { ip: null, userAgent: null };
  await models.ActivityLog.create({
    userId: entry.userId,
    businessId: entry.businessId ?? null,
    action: entry.action,
    ip: client.ip,
    userAgent: client.userAgent,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}

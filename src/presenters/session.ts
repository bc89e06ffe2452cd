import type { Session } from "../models";
import { sessionHandle } from "../lib/sessionHandles";
import { formatDateTime } from "../lib/dates";
import { describeUserAgent, deviceIcon } from "../lib/userAgent";

export interface PresentedTime {
  /** ISO 8601, for <time datetime>. */
  iso: string;
  /** e.g. "22 Nov 2026, 19:33", in the zone the page names. */
  text: string;
}

/**
 * A moment as people read it, in `timeZone`. The one rule for every page: times are shown in the
 * current business's zone (see accountTimeZone), as tasks, imports and notifications are.
 */
export function presentTime(date: Date, timeZone: string): PresentedTime {
  return { iso: date.toISOString(), text: formatDateTime(date, timeZone) };
}

/** The zone account pages show times in: the current business's, UTC for someone without one. */
export function accountTimeZone(ctx: { business: { timeZone: string } | null }): string {
  return ctx.business?.timeZone ?? "UTC";
}

export interface PresentedSession {
  /** Public name of the session for URLs (never the session id itself). */
  handle: string;
  kind: "browser" | "api";
  device: string;
  icon: string;
  ip: string;
  startedAt: PresentedTime;
  lastSeenAt: PresentedTime;
  isCurrent: boolean;
}

export function presentSession(
  session: Session,
  currentSid: string | undefined,
  timeZone: string,
): PresentedSession {
  const isApi = session.kind === "api";
  const device = describeUserAgent(session.userAgent, { api: isApi });
  return {
    handle: sessionHandle(session.sid),
    kind: isApi ? "api" : "browser",
    device: isApi && device.kind !== "api" ? `API client (${device.label})` : device.label,
    icon: deviceIcon(isApi ? "api" : device.kind),
    ip: session.ip ?? "unknown",
    startedAt: presentTime(session.createdAt, timeZone),
    lastSeenAt: presentTime(session.lastSeenAt, timeZone),
    isCurrent: session.sid === currentSid,
  };
}

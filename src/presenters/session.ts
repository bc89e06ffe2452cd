import type { Session } from "../models";
import { sessionHandle } from "../lib/sessionHandles";
import { describeUserAgent, deviceIcon } from "../lib/userAgent";

export interface PresentedTime {
  /** ISO 8601, for <time datetime>. */
  iso: string;
  /** e.g. "22 Nov 2026, 14:03 UTC". */
  text: string;
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
  timeZone: "UTC",
});

/** A moment as people read it. Profile pages have no business time zone, so they say UTC. */
export function presentTime(date: Date): PresentedTime {
  return { iso: date.toISOString(), text: `${dateTimeFormat.format(date)} UTC` };
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

export function presentSession(session: Session, currentSid: string | undefined): PresentedSession {
  const isApi = session.kind === "api";
  const device = describeUserAgent(session.userAgent, { api: isApi });
  return {
    handle: sessionHandle(session.sid),
    kind: isApi ? "api" : "browser",
    device: isApi && device.kind !== "api" ? `API client (${device.label})` : device.label,
    icon: deviceIcon(isApi ? "api" : device.kind),
    ip: session.ip ?? "unknown",
    startedAt: presentTime(session.createdAt),
    lastSeenAt: presentTime(session.lastSeenAt),
    isCurrent: session.sid === currentSid,
  };
}

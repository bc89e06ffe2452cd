import session, { type SessionData } from "express-session";
import { Op } from "sequelize";
import type { Deps } from "../deps";
import { readSession } from "../tenancy/loader";
import { currentTiming } from "./requestTiming";

type Callback = (err?: unknown) => void;

/** Seconds between last-seen writes for one session: a page view need not be a write. */
const touchIntervalMs = 60_000;
const maxRemembered = 10_000;

type StoreDeps = Pick<Deps, "sequelize" | "models" | "clock">;

/**
 * express-session storage in the app's own database, so sessions can be listed per user and
 * revoked (a row delete), whichever process served them. Every request reads its row: nothing is
 * cached, so a revoked session is refused on its next request in every process. The same
 * statement brings the user's context rows (tenancy/loader.ts readSession), left in the request's
 * scope for sessionContext: a signed-in page reads the database once before its own work.
 */
export class DatabaseSessionStore extends session.Store {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly deps: StoreDeps,
    private readonly ttlMs: number,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    const scope = currentTiming();
    readSession(this.deps, sid, this.deps.clock.now())
      .then((read) => {
        if (scope) scope.sessionRead = read ?? undefined;
        callback(null, read ? (JSON.parse(read.data) as SessionData) : null);
      })
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    const now = this.deps.clock.now();
    this.deps.models.Session.upsert({
      sid,
      userId: data.userId ?? null,
      data: JSON.stringify(data),
      expiresAt: this.expiry(data, now),
      lastSeenAt: now,
      ip: data.client?.ip ?? null,
      userAgent: data.client?.userAgent?.slice(0, 255) ?? null,
    })
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const now = this.deps.clock.now();
    // This process touched the row less than a minute ago: the database would skip it anyway.
    const last = this.touchedAt.get(sid);
    if (last !== undefined && now.getTime() - last < touchIntervalMs) {
      callback?.();
      return;
    }
    this.touchedAt.delete(sid);
    this.touchedAt.set(sid, now.getTime());
    // A Map keeps insertion order: dropping the first key drops the longest-untouched session.
    if (this.touchedAt.size > maxRemembered)
      this.touchedAt.delete(this.touchedAt.keys().next().value!);
    this.deps.models.Session.update(
      { expiresAt: this.expiry(data, now), lastSeenAt: now },
      { where: { sid, lastSeenAt: { [Op.lt]: new Date(now.getTime() - touchIntervalMs) } } },
    )
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.deps.models.Session.destroy({ where: { sid } })
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  /** On the injected clock, as reads compare it (the cookie's own expiry is wall-clock time). */
  private expiry(data: SessionData, now: Date): Date {
    const maxAge = data.cookie?.originalMaxAge;
    return new Date(now.getTime() + (typeof maxAge === "number" ? maxAge : this.ttlMs));
  }
}

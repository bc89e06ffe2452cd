import session, { type SessionData } from "express-session";
import { Op } from "sequelize";
import type { Models } from "../models";

type Callback = (err?: unknown) => void;

/** Seconds between last-seen writes for one session: a page view need not be a write. */
const touchIntervalMs = 60_000;
const maxRemembered = 10_000;

/**
 * express-session storage in the app's own database, so sessions can be listed per user and
 * revoked (a row delete), whichever process served them.
 */
export class DatabaseSessionStore extends session.Store {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly models: Models,
    private readonly ttlMs: number,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.models.Session.findOne({ where: { sid, expiresAt: { [Op.gt]: new Date() } } })
      .then((row) => callback(null, row ? (JSON.parse(row.data) as SessionData) : null))
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    const now = new Date();
    this.models.Session.upsert({
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
    const now = new Date();
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
    this.models.Session.update(
      { expiresAt: this.expiry(data, now), lastSeenAt: now },
      { where: { sid, lastSeenAt: { [Op.lt]: new Date(now.getTime() - touchIntervalMs) } } },
    )
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.models.Session.destroy({ where: { sid } })
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  private expiry(data: SessionData, now: Date): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(now.getTime() + this.ttlMs);
  }
}

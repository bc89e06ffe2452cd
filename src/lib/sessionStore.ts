import { Op } from "sequelize";
import type { Deps } from "../deps";
import { readSession } from "../tenancy/loader";
import type { SessionData } from "../types/session";
import { currentTiming } from "./requestTiming";

/** Seconds between last-seen writes for one session: a page view need not be a write. */
const touchIntervalMs = 60_000;
const maxRemembered = 10_000;

type StoreDeps = Pick<Deps, "sequelize" | "models" | "clock">;

/**
 * Browser sessions in the app's own database, so sessions can be listed per user and revoked (a
 * row delete), whichever process served them. Every request reads its row: nothing is cached, so
 * a revoked session is refused on its next request in every process. The same statement brings
 * the user's context rows (tenancy/loader.ts readSession), left in the request's scope for
 * sessionContext: a signed-in page reads the database once before its own work.
 */
export class DatabaseSessionStore {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly deps: StoreDeps,
    readonly ttlMs: number,
  ) {}

  /** The session's data, or null when it does not exist or has expired. */
  async get(sid: string): Promise<SessionData | null> {
    const read = await readSession(this.deps, sid, this.deps.clock.now());
    const scope = currentTiming();
    if (scope) scope.sessionRead = read ?? undefined;
    if (!read) return null;
    // Rows written by express-session also hold its cookie: the cookie is not data.
    const { cookie: _cookie, ...data } = JSON.parse(read.data) as SessionData & {
      cookie?: unknown;
    };
    return data;
  }

  async set(sid: string, data: SessionData, json = JSON.stringify(data)): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.models.Session.upsert({
      sid,
      userId: data.userId ?? null,
      data: json,
      expiresAt: this.expiry(now),
      lastSeenAt: now,
      ip: data.client?.ip ?? null,
      userAgent: data.client?.userAgent?.slice(0, 255) ?? null,
    });
    this.remember(sid, now.getTime());
  }

  /** Whether a touch now would write (this process has not touched the row for a minute). */
  touchDue(sid: string): boolean {
    const last = this.touchedAt.get(sid);
    return last === undefined || this.deps.clock.now().getTime() - last >= touchIntervalMs;
  }

  /** Pushes the expiry on and records the visit, at most once a minute per session. */
  async touch(sid: string): Promise<void> {
    if (!this.touchDue(sid)) return;
    const now = this.deps.clock.now();
    this.remember(sid, now.getTime());
    await this.deps.models.Session.update(
      { expiresAt: this.expiry(now), lastSeenAt: now },
      { where: { sid, lastSeenAt: { [Op.lt]: new Date(now.getTime() - touchIntervalMs) } } },
    );
  }

  async destroy(sid: string): Promise<void> {
    this.touchedAt.delete(sid);
    await this.deps.models.Session.destroy({ where: { sid } });
  }

  /** A Map keeps insertion order: dropping the first key drops the longest-untouched session. */
  private remember(sid: string, at: number): void {
    this.touchedAt.delete(sid);
    this.touchedAt.set(sid, at);
    if (this.touchedAt.size > maxRemembered)
      this.touchedAt.delete(this.touchedAt.keys().next().value!);
  }

  /** On the injected clock, as reads compare it. */
  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.ttlMs);
  }
}

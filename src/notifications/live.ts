import { EventEmitter } from "node:events";
import IORedis from "ioredis";
import type { Config } from "../config";

/**
 * Live notification signals (issue 15, item 4): "this member's notifications in this business
 * changed". A signal carries no content — listeners read the unread count again — so a duplicate
 * or a lost signal costs nothing but one count. With REDIS_URL every web process publishes to one
 * channel and each delivers what it hears to its own server-sent-event clients (several web
 * processes); without it, a process delivers to itself (one process runs everything).
 */
export interface LiveSignal {
  userId: number;
  businessId: number;
}

/**
 * "These dashboard cards of this business may have changed": every open dashboard of the business
 * reloads those cards (through the page, so each member sees only their own scope). Names only.
 */
export interface DashboardSignal {
  businessId: number;
  cards: string[];
}

/** "This campaign's send results may have changed": its open results pages read them again. */
export interface CampaignSignal {
  businessId: number;
  campaignId: number;
}

type Listener = () => void;
type CardsListener = (cards: string[]) => void;

const shutdownEvent = "shutdown";
const keyOf = (s: LiveSignal) => `${s.businessId}:${s.userId}`;
const dashboardKeyOf = (businessId: number) => `${businessId}:dashboard`;
const campaignKeyOf = (s: CampaignSignal) => `${s.businessId}:campaign:${s.campaignId}`;
const cardName = /^[a-z][a-z_]{0,31}$/;

/** Card names as a listener may trust them: short lowercase words, at most ten. */
function cleanCards(cards: unknown): string[] {
  if (!Array.isArray(cards)) return [];
  return [
    ...new Set(cards.filter((c): c is string => typeof c === "string" && cardName.test(c))),
  ].slice(0, 10);
}

export class LiveNotifications {
  private readonly local = new EventEmitter();
  private publisher: IORedis | null = null;
  private subscriber: IORedis | null = null;
  private subscribed: Promise<unknown> | null = null;

  constructor(
    private readonly redisUrl: string | undefined,
    private readonly channel: string,
  ) {
    // One listener per open page; a busy member may have several tabs.
    this.local.setMaxListeners(0);
  }

  static create(config: Pick<Config, "REDIS_URL" | "QUEUE_PREFIX">): LiveNotifications {
    return new LiveNotifications(config.REDIS_URL || undefined, `${config.QUEUE_PREFIX}:live`);
  }

  get usesRedis(): boolean {
    return Boolean(this.redisUrl);
  }

  /** Tells every listener of these members, in this process or (with Redis) any other. */
  async publish(signals: Array<LiveSignal | DashboardSignal | CampaignSignal>): Promise<void> {
    if (!signals.length) return;
    if (!this.redisUrl) {
      for (const signal of signals) this.deliver(signal);
      return;
    }
    this.publisher ??= new IORedis(this.redisUrl, { maxRetriesPerRequest: 3 });
    await this.publisher.publish(this.channel, JSON.stringify(signals));
  }

  private deliver(signal: Partial<LiveSignal & DashboardSignal & CampaignSignal>): void {
    if (!Number.isSafeInteger(signal.businessId)) return;
    if ("campaignId" in signal) {
      if (Number.isSafeInteger(signal.campaignId))
        this.local.emit(campaignKeyOf(signal as CampaignSignal));
    } else if ("cards" in signal) {
      const cards = cleanCards(signal.cards);
      if (cards.length) this.local.emit(dashboardKeyOf(signal.businessId!), cards);
    } else if (Number.isSafeInteger(signal.userId)) this.local.emit(keyOf(signal as LiveSignal));
  }

  /** Listens for a business's dashboard signals (the card names that changed). */
  async listenDashboard(businessId: number, listener: CardsListener): Promise<() => void> {
    const key = dashboardKeyOf(businessId);
    this.local.on(key, listener);
    if (this.redisUrl) await this.ensureSubscribed();
    return () => this.local.off(key, listener);
  }

  /** Listens for one campaign's result signals (a results page's stream). */
  async listenCampaign(signal: CampaignSignal, listener: Listener): Promise<() => void> {
    const key = campaignKeyOf(signal);
    this.local.on(key, listener);
    if (this.redisUrl) await this.ensureSubscribed();
    return () => this.local.off(key, listener);
  }

  /** Listens for one member's signals; resolves (subscribed) with the function that stops it. */
  async listen(signal: LiveSignal, listener: Listener): Promise<() => void> {
    const key = keyOf(signal);
    this.local.on(key, listener);
    if (this.redisUrl) await this.ensureSubscribed();
    return () => this.local.off(key, listener);
  }

  private ensureSubscribed(): Promise<unknown> {
    if (this.subscribed) return this.subscribed;
    const subscriber = new IORedis(this.redisUrl!, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on("message", (_channel: string, message: string) => {
      let signals: unknown;
      try {
        signals = JSON.parse(message);
      } catch {
        return;
      }
      if (!Array.isArray(signals)) return;
      for (const s of signals as Array<Partial<LiveSignal & DashboardSignal & CampaignSignal>>)
        if (s && typeof s === "object") this.deliver(s);
    });
    this.subscribed = subscriber.subscribe(this.channel);
    return this.subscribed;
  }

  listenerCount(signal: LiveSignal): number {
    return this.local.listenerCount(keyOf(signal));
  }

  /** Called once when the process shuts down: open streams end so the server can close. */
  onShutdown(listener: Listener): () => void {
    this.local.on(shutdownEvent, listener);
    return () => this.local.off(shutdownEvent, listener);
  }

  async close(): Promise<void> {
    this.local.emit(shutdownEvent);
    this.local.removeAllListeners();
    await Promise.all([this.publisher?.quit(), this.subscriber?.quit()]);
    this.publisher = null;
    this.subscriber = null;
    this.subscribed = null;
  }
}

/**
 * The process's live channels, one per settings object (a process has one; a test file may build
 * several apps). notify() (commands/notifications.ts) signals through every one of them: it is
 * called from commands and jobs that hold no reference to the web side.
 */
const instances = new Map<object, LiveNotifications>();

export function liveNotificationsFor(
  config: Pick<Config, "REDIS_URL" | "QUEUE_PREFIX">,
): LiveNotifications {
  let live = instances.get(config);
  if (!live) {
    live = LiveNotifications.create(config);
    instances.set(config, live);
  }
  return live;
}

/** Signals every live channel of this process; never fails the caller (the row is written). */
export async function signalNotifications(signals: LiveSignal[]): Promise<void> {
  await Promise.all(
    [...instances.values()].map((live) => live.publish(signals).catch(() => undefined)),
  );
}

/**
 * Tells every open dashboard of the business that these cards changed; never fails the caller.
 * A feature calls it after the commit that changed what the cards count.
 */
export async function signalDashboard(businessId: number, cards: string[]): Promise<void> {
  const signal: DashboardSignal = { businessId, cards };
  if (cleanCards(cards).length === 0) return;
  await Promise.all(
    [...instances.values()].map((live) => live.publish([signal]).catch(() => undefined)),
  );
}

/** Closes and forgets the channel of these settings (app shutdown, tests). */
export async function closeLiveNotifications(config: object): Promise<void> {
  const live = instances.get(config);
  instances.delete(config);
  await live?.close();
}

/**
 * Tells the campaign's open results pages that its results may have changed (sends recorded);
 * never fails the caller, who does not wait for it.
 */
export async function signalCampaign(businessId: number, campaignId: number): Promise<void> {
  const signal: CampaignSignal = { businessId, campaignId };
  await Promise.all(
    [...instances.values()].map((live) => live.publish([signal]).catch(() => undefined)),
  );
}

/**
 * How a person wants to hear about each kind of event: in the app (the bell), by e-mail, both or
 * neither (`channelsOf`). notify() (commands/notifications.ts) applies the choice for every
 * feature; features that only e-mail (reminders, the digest) have e-mail or nothing.
 * `preferencesOf(user)[key]` says whether they want to hear about it at all. A key missing from
 * the stored JSON takes its default; an old stored boolean reads as its legacy meaning.
 */
export const notificationKeys = [
  "taskDue",
  "taskAssigned",
  "formSubmission",
  "importFinished",
  "campaignFinished",
  "reminders",
  "weeklyDigest",
] as const;

export type NotificationKey = (typeof notificationKeys)[number];
export type NotificationPreferences = Record<NotificationKey, boolean>;

export const notificationChannels = ["both", "in_app", "email", "none"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];
export type NotificationChannels = Record<NotificationKey, NotificationChannel>;

/** Kinds that also appear in the app; the others (reminders, digest) are e-mails or nothing. */
export const inAppKeys: ReadonlySet<NotificationKey> = new Set<NotificationKey>([
  "taskDue",
  "taskAssigned",
  "formSubmission",
  "importFinished",
  "campaignFinished",
]);

export const defaultNotificationChannels: Readonly<NotificationChannels> = Object.freeze({
  taskDue: "both",
  taskAssigned: "both",
  formSubmission: "both",
  importFinished: "both",
  campaignFinished: "both",
  reminders: "email",
  weeklyDigest: "none",
});

/**
 * What an old stored `false` meant (the switch was "e-mail me"): task due and form submissions
 * still showed in the app; an import's notice was skipped altogether.
 */
const legacyOff: Record<NotificationKey, NotificationChannel> = {
  taskDue: "in_app",
  taskAssigned: "in_app",
  formSubmission: "in_app",
  importFinished: "none",
  campaignFinished: "in_app",
  reminders: "none",
  weeklyDigest: "none",
};

const legacyOn = (key: NotificationKey): NotificationChannel =>
  inAppKeys.has(key) ? "both" : "email";

export const wantsEmail = (channel: NotificationChannel) =>
  channel === "both" || channel === "email";
export const wantsInApp = (channel: NotificationChannel) =>
  channel === "both" || channel === "in_app";

/** Labels and one-line explanations, in the order the profile page lists them. */
export const notificationDescriptions: Record<NotificationKey, { label: string; hint: string }> = {
  taskDue: { label: "Task due", hint: "When a task assigned to you is due." },
  taskAssigned: {
    label: "Task assigned",
    hint: "When someone else gives you a task (new, or moved to you).",
  },
  formSubmission: { label: "Form submission", hint: "When a visitor submits one of your forms." },
  importFinished: {
    label: "Import finished",
    hint: "When an import you started, or the undo of one you asked for, is done.",
  },
  campaignFinished: { label: "Campaign finished", hint: "When a campaign finishes sending." },
  reminders: { label: "Reminders", hint: "Follow-up reminders you set on records." },
  weeklyDigest: { label: "Weekly digest", hint: "A summary of your week, every Monday." },
};

function storedOf(user: { notificationPrefs: string | null }): Record<string, unknown> {
  if (!user.notificationPrefs) return {};
  try {
    const stored: unknown = JSON.parse(user.notificationPrefs);
    return typeof stored === "object" && stored !== null && !Array.isArray(stored)
      ? (stored as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function isChannel(value: unknown): value is NotificationChannel {
  return (notificationChannels as readonly unknown[]).includes(value);
}

/** Each kind's channel, read leniently: anything unknown or malformed means the default. */
export function channelsOf(user: { notificationPrefs: string | null }): NotificationChannels {
  const channels: NotificationChannels = { ...defaultNotificationChannels };
  const stored = storedOf(user);
  for (const key of notificationKeys) {
    const value = stored[key];
    if (value === true) channels[key] = legacyOn(key);
    else if (value === false) channels[key] = legacyOff[key];
    else if (isChannel(value)) channels[key] = value;
    // E-mail-only kinds cannot be shown in the app.
    if (!inAppKeys.has(key) && wantsInApp(channels[key]))
      channels[key] = wantsEmail(channels[key]) ? "email" : "none";
  }
  return channels;
}

/** Whether the person wants to hear about each kind at all (in the app, by e-mail or both). */
export function preferencesOf(user: { notificationPrefs: string | null }): NotificationPreferences {
  const channels = channelsOf(user);
  const prefs = {} as NotificationPreferences;
  for (const key of notificationKeys) prefs[key] = channels[key] !== "none";
  return prefs;
}

export const defaultNotificationPreferences: Readonly<NotificationPreferences> = Object.freeze(
  preferencesOf({ notificationPrefs: null }),
);

/** The JSON text stored in users.notification_prefs. */
export function serializeChannels(channels: NotificationChannels): string {
  const ordered: Partial<NotificationChannels> = {};
  for (const key of notificationKeys) ordered[key] = channels[key];
  return JSON.stringify(ordered);
}

/** Booleans as the old switches meant them ("e-mail me"), stored as channels. */
export function serializePreferences(prefs: NotificationPreferences): string {
  const channels = {} as NotificationChannels;
  for (const key of notificationKeys) channels[key] = prefs[key] ? legacyOn(key) : legacyOff[key];
  return serializeChannels(channels);
}

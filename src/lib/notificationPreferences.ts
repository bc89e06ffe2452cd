/**
 * What a person wants to be e-mailed about. Features that send a notification ask
 * `preferencesOf(user)` first; a key missing from the stored JSON takes its default.
 */
export const notificationKeys = [
  "taskDue",
  "formSubmission",
  "importFinished",
  "campaignFinished",
  "reminders",
  "weeklyDigest",
] as const;

export type NotificationKey = (typeof notificationKeys)[number];
export type NotificationPreferences = Record<NotificationKey, boolean>;

export const defaultNotificationPreferences: Readonly<NotificationPreferences> = Object.freeze({
  taskDue: true,
  formSubmission: true,
  importFinished: true,
  campaignFinished: true,
  reminders: true,
  weeklyDigest: false,
});

/** Labels and one-line explanations, in the order the profile page lists them. */
export const notificationDescriptions: Record<NotificationKey, { label: string; hint: string }> = {
  taskDue: { label: "Task due", hint: "When a task assigned to you is due." },
  formSubmission: { label: "Form submission", hint: "When a visitor submits one of your forms." },
  importFinished: {
    label: "Import finished",
    hint: "When an import you started, or the undo of one you asked for, is done.",
  },
  campaignFinished: { label: "Campaign finished", hint: "When a campaign finishes sending." },
  reminders: { label: "Reminders", hint: "Follow-up reminders you set on records." },
  weeklyDigest: { label: "Weekly digest", hint: "A summary of your week, every Monday." },
};

/** The stored JSON of a user, read leniently: anything unknown or malformed means the default. */
export function preferencesOf(user: { notificationPrefs: string | null }): NotificationPreferences {
  const prefs: NotificationPreferences = { ...defaultNotificationPreferences };
  if (!user.notificationPrefs) return prefs;
  let stored: unknown;
  try {
    stored = JSON.parse(user.notificationPrefs);
  } catch {
    return prefs;
  }
  if (typeof stored !== "object" || stored === null) return prefs;
  const record = stored as Record<string, unknown>;
  for (const key of notificationKeys) {
    const value = record[key];
    if (typeof value === "boolean") prefs[key] = value;
  }
  return prefs;
}

/** The JSON text stored in users.notification_prefs. */
export function serializePreferences(prefs: NotificationPreferences): string {
  const ordered: Partial<NotificationPreferences> = {};
  for (const key of notificationKeys) ordered[key] = prefs[key];
  return JSON.stringify(ordered);
}

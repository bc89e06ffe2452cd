import {
  defaultNotificationPreferences,
  notificationKeys,
  preferencesOf,
  serializePreferences,
} from "./notificationPreferences";

describe("notification preferences", () => {
  it("uses the defaults when nothing is stored or the JSON is bad", () => {
    expect(preferencesOf({ notificationPrefs: null })).toEqual(defaultNotificationPreferences);
    expect(preferencesOf({ notificationPrefs: "{oops" })).toEqual(defaultNotificationPreferences);
    expect(preferencesOf({ notificationPrefs: "[true]" }).taskDue).toBe(true);
    expect(defaultNotificationPreferences.weeklyDigest).toBe(false);
  });

  it("takes stored booleans and ignores unknown keys and other types", () => {
    const prefs = preferencesOf({
      notificationPrefs: JSON.stringify({ taskDue: false, reminders: "no", extra: true }),
    });
    expect(prefs.taskDue).toBe(false);
    expect(prefs.reminders).toBe(true);
    expect(prefs).not.toHaveProperty("extra");
  });

  it("round-trips through the stored JSON", () => {
    const prefs = { ...defaultNotificationPreferences, importFinished: false, weeklyDigest: true };
    const stored = serializePreferences(prefs);
    expect(Object.keys(JSON.parse(stored))).toEqual([...notificationKeys]);
    expect(preferencesOf({ notificationPrefs: stored })).toEqual(prefs);
  });
});

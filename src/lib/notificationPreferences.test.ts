import {
  channelsOf,
  defaultNotificationChannels,
  defaultNotificationPreferences,
  notificationKeys,
  preferencesOf,
  serializeChannels,
  serializePreferences,
} from "./notificationPreferences";

describe("notification preferences", () => {
  it("uses the defaults when nothing is stored or the JSON is bad", () => {
    expect(channelsOf({ notificationPrefs: null })).toEqual(defaultNotificationChannels);
    expect(channelsOf({ notificationPrefs: "{oops" })).toEqual(defaultNotificationChannels);
    expect(preferencesOf({ notificationPrefs: "[true]" }).taskDue).toBe(true);
    expect(defaultNotificationPreferences.weeklyDigest).toBe(false);
    expect(defaultNotificationChannels.taskAssigned).toBe("both");
  });

  it("reads old stored booleans as they were meant, and ignores unknown keys and values", () => {
    const channels = channelsOf({
      notificationPrefs: JSON.stringify({
        taskDue: false,
        importFinished: false,
        reminders: "no",
        formSubmission: "email",
        extra: true,
      }),
    });
    // The old switch was "e-mail me": off kept task notices in the app, and skipped imports'.
    expect(channels.taskDue).toBe("in_app");
    expect(channels.importFinished).toBe("none");
    expect(channels.reminders).toBe("email");
    expect(channels.formSubmission).toBe("email");
    expect(channels).not.toHaveProperty("extra");
    expect(preferencesOf({ notificationPrefs: JSON.stringify({ taskDue: false }) }).taskDue).toBe(
      true,
    );
  });

  it("keeps e-mail-only kinds out of the app", () => {
    const channels = channelsOf({
      notificationPrefs: JSON.stringify({ reminders: "both", weeklyDigest: "in_app" }),
    });
    expect(channels.reminders).toBe("email");
    expect(channels.weeklyDigest).toBe("none");
  });

  it("round-trips through the stored JSON", () => {
    const channels = { ...defaultNotificationChannels, importFinished: "none" as const };
    const stored = serializeChannels(channels);
    expect(Object.keys(JSON.parse(stored))).toEqual([...notificationKeys]);
    expect(channelsOf({ notificationPrefs: stored })).toEqual(channels);
    const legacy = serializePreferences({ ...defaultNotificationPreferences, taskDue: false });
    expect(channelsOf({ notificationPrefs: legacy }).taskDue).toBe("in_app");
  });
});

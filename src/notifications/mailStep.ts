import type { ReconcileStep } from "../jobs/reconciler";

export const notificationMailScheduleId = "notification-mails-5min";

/**
 * Keeps the notification e-mail sweep (notifications/mail.ts) scheduled every five minutes — the
 * batching window: what is notified within it goes out as one e-mail — and runs it once at start,
 * so what was pending when the last process stopped goes out at once.
 */
export const notificationMailStep: ReconcileStep = {
  name: "notification-mails",
  async run({ jobs, now, pass }) {
    await jobs.schedule(
      notificationMailScheduleId,
      { cron: "*/5 * * * *" },
      "send-notification-mails",
      {},
    );
    if (pass === "periodic") return 0;
    const bucket = now.toISOString().slice(0, 16).replace(/\D/g, "");
    await jobs.dispatch("send-notification-mails", {}, { jobId: `notification-mails-${bucket}` });
    return 1;
  },
};

import { defineJob } from "../../src/jobs/define";
import { sendNotificationMails } from "../../src/notifications/mail";

/** The batched notification e-mails (every five minutes; notifications/mailStep.ts). */
export const notificationJobs = [
  defineJob("send-notification-mails", async (deps) => {
    const mails = await sendNotificationMails(deps);
    if (mails > 0) deps.logger.info({ mails }, "notification e-mails queued");
  }),
];

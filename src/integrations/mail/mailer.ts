import type { Config } from "../../config";
import type { Logger } from "../../logger";
import type { OutgoingMail } from "./types";

/** Delivers one rendered message; the sendMail task calls it, with the queue's retries around it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

/**
 * SMTP when SMTP_URL is set, otherwise the outbox folder (var/outbox).
 * TODO(mail helper): replace this placeholder with the real transport and templates.
 */
export function createMailer(_config: Config, logger: Logger): Mailer {
  return {
    async send(mail) {
      logger.warn({ to: mail.to, template: mail.template }, "mail transport not built yet");
      throw new Error("Mail transport not implemented");
    },
    async close() {},
  };
}

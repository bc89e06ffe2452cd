import nodemailer from "nodemailer";
import type { Config } from "../../config";
import type { Logger } from "../../logger";
import { outboxDir, writeToOutbox } from "./outbox";
import { createRenderer, type RenderedMail } from "./render";
import type { OutgoingMail } from "./types";

/** Delivers one rendered message; the sendMail task calls it, with the queue's retries around it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

function message(config: Config, mail: OutgoingMail, rendered: RenderedMail) {
  return {
    from: config.MAIL_FROM,
    to: mail.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    ...(mail.attachments?.length
      ? {
          attachments: mail.attachments.map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            content: Buffer.from(file.contentBase64, "base64"),
          })),
        }
      : {}),
    // Lets a support person (or a test) tell which template produced a message.
    headers: { "X-CRM-Template": mail.template },
  };
}

/** Production: one pooled SMTP transport per process; a refusal rejects so the queue retries. */
function smtpMailer(config: Config, smtpUrl: string, logger: Logger): Mailer {
  const render = createRenderer({ appUrl: config.APP_URL, cache: config.isProduction });
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    // Short enough that a dead server fails the job (and it is retried) instead of hanging it.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail(message(config, mail, await render(mail)));
      logger.info({ template: mail.template, messageId: info.messageId }, "mail sent");
    },
    async close() {
      transport.close();
    },
  };
}

/** Embedded: the message is built exactly as for SMTP, then written to var/outbox. */
function outboxMailer(config: Config, logger: Logger): Mailer {
  const render = createRenderer({ appUrl: config.APP_URL, cache: config.isProduction });
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "windows",
  });
  const dir = outboxDir(config.varDir);
  return {
    async send(mail) {
      const rendered = await render(mail);
      const info = await transport.sendMail(message(config, mail, rendered));
      if (!Buffer.isBuffer(info.message)) throw new Error("stream transport returned no buffer");
      const saved = await writeToOutbox(
        dir,
        {
          to: mail.to,
          from: config.MAIL_FROM,
          subject: rendered.subject,
          template: mail.template,
          messageId: info.messageId,
          text: rendered.text,
          html: rendered.html,
        },
        info.message,
      );
      // The link is the point: in embedded mode this is how a developer reads the mail.
      const where = config.isProduction ? saved.id : `/dev/outbox/${saved.id}`;
      logger.info({ template: mail.template, outbox: where }, "mail written to the outbox");
    },
    async close() {},
  };
}

/** SMTP when SMTP_URL is set, otherwise the outbox folder (var/outbox). */
export function createMailer(config: Config, logger: Logger): Mailer {
  if (config.SMTP_URL) return smtpMailer(config, config.SMTP_URL, logger);
  if (config.isProduction) {
    logger.warn("SMTP_URL is not set: e-mails are written to var/outbox and nobody receives them");
  }
  return outboxMailer(config, logger);
}

/**
 * What the app asks the mail system to send. Each template is a pair in views/emails:
 * <template>.html.hbs and <template>.txt.hbs, rendered with `data`; the subject comes from
 * the template registry in ./templates.ts.
 */
export const mailTemplates = [
  "activation",
  "password-reset",
  "password-changed",
  "email-change",
  "invitation",
  "task-due",
  "reminders-digest",
  "ticket-reply",
  "ticket-resolved",
  "ticket-overdue",
  "webhook-disabled",
  "invoice-issued",
  "notifications",
] as const;
export type MailTemplate = (typeof mailTemplates)[number];

export interface OutgoingMail {
  to: string;
  template: MailTemplate;
  /** Plain JSON (the job payload): values, or lists of flat rows. Links are absolute URLs. */
  data: Record<string, MailValue | MailRow[]>;
  /** Where the recipient's answer goes (a ticket's ticket+<token>@… address); From otherwise. */
  replyTo?: string;
  /** Files sent with the message (an invoice's PDF), base64 in the job payload: keep them small. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export type MailValue = string | number | boolean | null;
/** One row of a list in a mail (a digest's customers), walked with {{#each}} in the template. */
export type MailRow = Record<string, MailValue>;

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
] as const;
export type MailTemplate = (typeof mailTemplates)[number];

export interface OutgoingMail {
  to: string;
  template: MailTemplate;
  /** Plain values only (the job payload is JSON). Links are absolute URLs. */
  data: Record<string, string | number | boolean | null>;
}

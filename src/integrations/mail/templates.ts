import type { MailTemplate, OutgoingMail } from "./types";

type MailData = OutgoingMail["data"];

export interface TemplateSpec {
  /** Keys the sender must fill; a missing one fails the job instead of mailing an empty link. */
  required: readonly string[];
  subject(data: MailData): string;
}

/** Names from user input go into a header: keep them to one short line. */
function short(value: MailData[string] | undefined, max = 60): string {
  const text = String(value ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The subject and required data of every template, in one place. */
export const templateSpecs: Record<MailTemplate, TemplateSpec> = {
  activation: {
    required: ["name", "link"],
    subject: () => "Activate your CRM account",
  },
  "password-reset": {
    required: ["name", "link"],
    subject: () => "Reset your CRM password",
  },
  "password-changed": {
    required: ["name", "time"],
    subject: () => "Your CRM password was changed",
  },
  "email-change": {
    required: ["name", "link", "newEmail"],
    subject: () => "Confirm your new e-mail address",
  },
  invitation: {
    required: ["inviterName", "businessName", "role", "link"],
    subject: (data) =>
      `${short(data.inviterName)} invited you to ${short(data.businessName)} on CRM`,
  },
  "task-due": {
    required: ["name", "title", "due", "businessName", "link"],
    subject: (data) => `Task due: ${short(data.title)}`,
  },
  // Ticket mails carry the ticket's reference token in the subject: a reply threads back by it
  // even when the customer's mail program drops the reply-to address (commands/tickets/inbound.ts).
  "ticket-reply": {
    required: ["businessName", "reference", "subject", "body", "token"],
    subject: (data) =>
      `Re: ${short(data.subject)} [${short(data.reference)}] (ref:${short(data.token)})`,
  },
  "ticket-resolved": {
    required: ["businessName", "reference", "subject", "token"],
    subject: (data) =>
      `Resolved: ${short(data.subject)} [${short(data.reference)}] (ref:${short(data.token)})`,
  },
  "ticket-overdue": {
    required: ["name", "reference", "subject", "target", "due", "businessName", "link"],
    subject: (data) => `Overdue ticket ${short(data.reference)}: ${short(data.subject)}`,
  },
  "webhook-disabled": {
    required: ["name", "businessName", "url", "reason", "link"],
    subject: (data) => `Webhook endpoint disabled at ${short(data.businessName)}`,
  },
  "invoice-issued": {
    required: ["name", "businessName", "documentName", "number", "date", "total", "link"],
    subject: (data) =>
      `Your ${short(data.documentName)} ${short(data.number)} from ${short(data.supplierName)}`,
  },
  // Several notifications of a few minutes in one e-mail (notifications/mail.ts).
  notifications: {
    required: ["name", "businessName", "count", "link"],
    subject: (data) =>
      Number(data.count) === 1
        ? short(data.firstTitle, 78)
        : `${short(data.count)} new notifications at ${short(data.businessName)}`,
  },
  "reminders-digest": {
    required: ["name", "businessName", "date", "link"],
    subject: (data) =>
      `Birthdays and anniversaries on ${short(data.date)} at ${short(data.businessName)}`,
  },
};

/** Throws when data lacks a required key or a link is not an absolute http(s) URL. */
export function checkMailData(mail: OutgoingMail): void {
  const spec = templateSpecs[mail.template];
  if (!spec) throw new Error(`Unknown mail template "${String(mail.template)}"`);
  const missing = spec.required.filter((key) => {
    const value = mail.data[key];
    return value === undefined || value === null || String(value).trim() === "";
  });
  if (missing.length > 0) {
    throw new Error(`Mail "${mail.template}" needs data: ${missing.join(", ")}`);
  }
  // Links end up in href attributes: only web addresses, never javascript: or relative paths.
  const rows = Object.values(mail.data).flatMap((value) => (Array.isArray(value) ? value : []));
  for (const link of [mail.data.link, ...rows.map((row) => row.link)]) {
    if (link !== undefined && !/^https?:\/\/[^\s]+$/i.test(String(link))) {
      throw new Error(`Mail "${mail.template}" needs an absolute http(s) link`);
    }
  }
}

import path from "node:path";
import { projectRoot } from "../../src/config";
import { listOutbox, outboxDir } from "../../src/integrations/mail/outbox";
import type { MailTemplate } from "../../src/integrations/mail/types";

/** What the embedded mailer wrote to var/outbox (the folder the test apps use). */
export interface CapturedMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
  template: string;
}

export const testOutboxDir = outboxDir(path.join(projectRoot, "var"));

/**
 * Test files run in parallel processes that share var/outbox, and it keeps earlier runs' mail:
 * only messages written since this file started are read (a little slack for clock rounding),
 * and every lookup is by recipient, which each test makes unique.
 */
const since = new Date(Date.now() - 2000);

function addressOf(recipient: string): string {
  const angled = /<([^>]+)>/.exec(recipient);
  return (angled?.[1] ?? recipient).trim().toLowerCase();
}

/** Every message to this address since the test file started, oldest first. */
export async function mailsTo(address: string): Promise<CapturedMail[]> {
  const wanted = addressOf(address);
  const entries = await listOutbox(testOutboxDir, { since });
  return entries
    .filter((entry) => addressOf(entry.to) === wanted)
    .reverse()
    .map((entry) => ({
      id: entry.id,
      to: entry.to,
      subject: entry.subject,
      text: entry.text,
      html: entry.html,
      date: new Date(entry.date),
      template: entry.template,
    }));
}

export interface WaitForMailOptions {
  template?: MailTemplate;
  subjectIncludes?: string;
  /** Wait until at least this many matching messages exist (default 1); the newest is returned. */
  count?: number;
  timeoutMs?: number;
}

/** Polls the outbox until a matching message to the address arrives (jobs run asynchronously). */
export async function waitForMail(
  address: string,
  options: WaitForMailOptions = {},
): Promise<CapturedMail> {
  const { template, subjectIncludes, count = 1, timeoutMs = 10_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await mailsTo(address);
    const matching = all.filter(
      (mail) =>
        (template === undefined || mail.template === template) &&
        (subjectIncludes === undefined || mail.subject.includes(subjectIncludes)),
    );
    const newest = matching[matching.length - 1];
    if (newest && matching.length >= count) return newest;
    if (Date.now() >= deadline) {
      const seen = all.map((mail) => `"${mail.subject}" (${mail.template})`).join(", ") || "none";
      throw new Error(
        `No mail to ${address} matching ${JSON.stringify({ template, subjectIncludes, count })} ` +
          `within ${timeoutMs} ms; messages to that address: ${seen}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Absolute URLs in the text part, in order (each link is on its own line there). */
export function linksIn(mail: Pick<CapturedMail, "text">): string[] {
  return (mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? []).map((url) =>
    url.replace(/[.,;:!?)]+$/, ""),
  );
}

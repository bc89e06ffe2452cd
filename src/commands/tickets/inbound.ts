import { UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { loadTenantContext } from "../../tenancy/loader";
import { acrossBusinesses, tenantWhere } from "../../tenancy/scope";
import { publishTicketEvent } from "./events";
import { scheduleSlaReminder } from "./reminders";
import { recordTicketEvents, type TicketEventEntry } from "./timeline";

/** An e-mail as the mail provider's inbound parser (or the SMTP stand-in in tests) hands it over. */
export interface InboundMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The Message-ID header: a webhook delivered twice threads the mail once. */
  messageId?: string | null;
}

export type InboundOutcome =
  | { outcome: "threaded"; ticketId: number; messageId: number }
  | { outcome: "duplicate"; ticketId: number }
  | { outcome: "no_ticket" };

const tokenPattern = "[a-f0-9]{24}";

/** The reply token: from a ticket+<token>@… recipient first, else from "(ref:<token>)" in the subject. */
export function replyTokenOf(mail: Pick<InboundMail, "to" | "subject">): string | null {
  const inAddress = new RegExp(`(?:^|[<\\s,])ticket\\+(${tokenPattern})@`, "i");
  for (const address of mail.to) {
    const match = inAddress.exec(address);
    if (match) return (match[1] as string).toLowerCase();
  }
  const inSubject = new RegExp(`ref:(${tokenPattern})`, "i").exec(mail.subject);
  return inSubject ? (inSubject[1] as string).toLowerCase() : null;
}

/** The bare address of "Name <a@b>" or "a@b", lower-cased. */
export function addressOf(from: string): string {
  const angled = /<([^>]+)>/.exec(from);
  return (angled?.[1] ?? from).trim().toLowerCase();
}

/**
 * The new part of an answer: mail programs quote the earlier message below a line such as
 * "On Tue, … wrote:" or "-----Original Message-----", or as "> " lines. Falls back to the whole
 * text when nothing is left.
 */
export function newPartOf(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const cut = lines.findIndex(
    (line) =>
      /^On .+wrote:\s*$/.test(line.trim()) ||
      /^-{2,}\s*Original Message\s*-{2,}$/i.test(line.trim()) ||
      line.startsWith(">"),
  );
  const kept = (cut === -1 ? lines : lines.slice(0, cut)).join("\n").trim();
  return kept || text.trim();
}

/**
 * Threads a customer's e-mail answer onto its ticket, found by the reply token (the token is the
 * capability; the sender is recorded, not checked, so a colleague's forward also lands). The
 * ticket's business context is loaded as for its own scheduled work. An answer to a ticket waiting
 * on the customer, or resolved, moves it back to in progress; a closed or cancelled ticket keeps
 * its status (the message is still kept: nothing the customer sends is lost).
 */
export async function threadInboundMail(deps: Deps, mail: InboundMail): Promise<InboundOutcome> {
  const token = replyTokenOf(mail);
  if (!token) return { outcome: "no_ticket" };
  const found = await deps.models.Ticket.findOne({
    attributes: ["id", "businessId"],
    where: acrossBusinesses("an inbound e-mail names its ticket by a globally unique token", {
      replyToken: token,
    }),
  });
  if (!found) return { outcome: "no_ticket" };
  const ctx = await loadTenantContext(deps, { businessId: found.businessId, userId: null });
  if (!ctx) return { outcome: "no_ticket" };
  const ticket = await deps.models.Ticket.findOne({
    where: tenantWhere(ctx, deps.models.Ticket, { id: found.id }),
  });
  if (!ticket) return { outcome: "no_ticket" };
  const externalId = mail.messageId?.trim().slice(0, 191) || null;
  if (externalId) {
    const seen = await deps.models.TicketMessage.count({
      where: tenantWhere(ctx, deps.models.TicketMessage, { externalId }),
    });
    if (seen) return { outcome: "duplicate", ticketId: ticket.id };
  }

  const now = deps.clock.now();
  const entries: TicketEventEntry[] = [];
  const reopen = ticket.status === "waiting_on_customer" || ticket.status === "resolved";
  try {
    const message = await deps.sequelize.transaction(async (transaction) => {
      const created = await deps.models.TicketMessage.create(
        {
          businessId: ticket.businessId,
          ticketId: ticket.id,
          kind: "inbound",
          authorId: null,
          fromEmail: addressOf(mail.from).slice(0, 191),
          externalId,
          body: newPartOf(mail.text),
          createdAt: now,
        },
        { transaction },
      );
      entries.push({ kind: "customer_replied", details: { messageId: created.id } });
      if (reopen) {
        entries.push({
          kind: "status_changed",
          details: { from: ticket.status, to: "in_progress", auto: true },
        });
        await ticket.update({ status: "in_progress", resolvedAt: null }, { transaction });
      }
      await publishTicketEvent(deps, ctx, "ticket.updated", ticket, transaction);
      await recordTicketEvents(deps, ticket, null, entries, transaction);
      return created;
    });
    if (reopen) await scheduleSlaReminder(deps, ticket);
    return { outcome: "threaded", ticketId: ticket.id, messageId: message.id };
  } catch (error) {
    // The same message delivered twice at once: the unique index keeps one.
    if (error instanceof UniqueConstraintError)
      return { outcome: "duplicate", ticketId: ticket.id };
    throw error;
  }
}

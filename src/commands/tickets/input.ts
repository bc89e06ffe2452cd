import { randomBytes } from "node:crypto";
import { AppError, isAppError } from "../../errors";
import type { TicketChannel, TicketPriority, TicketStatus } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { can } from "../../policies/permissions";
import type { Deps } from "../../deps";

/** Every field a person sets on a ticket; pages and the API hand the commands this shape. */
export interface TicketFields {
  subject: string;
  customerId: number | null;
  category: string | null;
  priority: TicketPriority;
  status: TicketStatus;
  assigneeId: number | null;
}

/**
 * A new ticket. `channel` says where it came from: pages and the API create "manual" or "email"
 * tickets; the support forms (leads issue) and inbound WhatsApp (campaigns issue) are to call
 * createTicket with "web_form" and "whatsapp" — the seam they plug into. `message` is the
 * customer's first words, kept as the thread's first (inbound) message.
 */
export type NewTicket = Partial<Omit<TicketFields, "status">> & {
  subject: string;
  channel?: TicketChannel;
  message?: string | null;
  /** The address the first message came from (an e-mail ticket), when known. */
  fromEmail?: string | null;
};

export type TicketChanges = Partial<TicketFields>;

export const messages = {
  assigneeNotAgent: "Choose a member of this business who works on tickets.",
  customerUnknown: "Choose a customer of this business.",
};

/** The secret part of a ticket's reply-to address: 24 hex characters, unguessable. */
export function newReplyToken(): string {
  return randomBytes(12).toString("hex");
}

/**
 * The assignee must be a member of the business whose role works tickets; `current` is accepted
 * as is, so editing a ticket never forces a change of someone else's assignment.
 */
export async function checkTicketAssignee(
  deps: Deps,
  ctx: TenantContext,
  wanted: number | null,
  current?: number | null,
): Promise<number | null> {
  if (wanted === null) return null;
  if (current !== undefined && wanted === current) return wanted;
  const member = await deps.models.Membership.findOne({
    where: tenantWhere(ctx, deps.models.Membership, { userId: wanted }),
  });
  if (!member || !can(member.role, "tickets.manage"))
    throw AppError.validation({ assigneeId: messages.assigneeNotAgent });
  return wanted;
}

/** A customer of the current business (a field error otherwise); unchanged links are kept. */
export async function checkTicketCustomer(
  deps: Deps,
  ctx: TenantContext,
  wanted: number | null,
  current?: number | null,
): Promise<number | null> {
  if (wanted === null) return null;
  if (current !== undefined && wanted === current) return wanted;
  try {
    return (await findInBusiness(ctx, deps.models.Customer, wanted, { wholeBusiness: true })).id;
  } catch (error) {
    if (isAppError(error) && error.id === "not_found")
      throw AppError.validation({ customerId: messages.customerUnknown });
    throw error;
  }
}

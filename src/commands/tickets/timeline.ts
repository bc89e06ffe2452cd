import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { TicketEventKind } from "../../models";

export interface TicketEventEntry {
  kind: TicketEventKind;
  details?: Record<string, unknown>;
}

/** Writes entries on a ticket's timeline, in the transaction of the change they describe. */
export async function recordTicketEvents(
  deps: Pick<Deps, "models" | "clock">,
  ticket: { id: number; businessId: number },
  actorId: number | null,
  entries: TicketEventEntry[],
  transaction?: Transaction,
): Promise<void> {
  if (entries.length === 0) return;
  const createdAt = deps.clock.now();
  await deps.models.TicketEvent.bulkCreate(
    entries.map((entry) => ({
      businessId: ticket.businessId,
      ticketId: ticket.id,
      actorId,
      kind: entry.kind,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt,
    })),
    { transaction },
  );
}

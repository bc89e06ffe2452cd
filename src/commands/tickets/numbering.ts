import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { businessScope, tenantWhere } from "../../tenancy/scope";

/** How a ticket number is shown: TKT-000123 (six digits at least; more once a business passes them). */
export function ticketReference(number: number): string {
  return `TKT-${String(number).padStart(6, "0")}`;
}

/** The number in "TKT-000123", "tkt-123" or "123"; null for anything else. */
export function parseTicketReference(text: string): number | null {
  const match = /^\s*(?:tkt-?)?0*(\d{1,9})\s*$/i.exec(text);
  return match ? Number(match[1]) : null;
}

/**
 * The business's next ticket number, taken inside `transaction` (the one that writes the ticket).
 * The counter row is bumped with one UPDATE, which holds its row lock (MySQL) or the write lock
 * (SQLite) until that transaction ends: concurrent creations wait their turn, and a rolled-back
 * creation gives its number back. Numbers are therefore 1..N without gaps or repeats.
 *
 * The counter row is made beforehand in its own statement (INSERT IGNORE / OR IGNORE): made
 * inside the transaction, two first tickets would each take a shared lock on the new key and then
 * both wait to upgrade it — a deadlock on MySQL.
 */
export async function nextTicketNumber(
  deps: Pick<Deps, "models">,
  businessId: number,
  transaction: Transaction,
): Promise<number> {
  const { TicketCounter } = deps.models;
  const scope = businessScope(businessId);
  const where = tenantWhere(scope, TicketCounter);
  await TicketCounter.increment("lastNumber", { by: 1, where, transaction });
  const counter = await TicketCounter.findOne({ where, transaction });
  if (!counter) throw new Error(`ticket counter of business ${businessId} is missing`);
  return counter.lastNumber;
}

/** Makes the business's counter row if it does not exist yet (idempotent, outside transactions). */
export async function ensureTicketCounter(
  deps: Pick<Deps, "models">,
  businessId: number,
): Promise<void> {
  const { TicketCounter } = deps.models;
  const exists = await TicketCounter.count({
    where: tenantWhere(businessScope(businessId), TicketCounter),
  });
  if (exists) return;
  await TicketCounter.bulkCreate([{ businessId, lastNumber: 0 }], { ignoreDuplicates: true });
}

import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { TimelineKind } from "../../models";
import type { TenantContext } from "../../tenancy/context";

export interface TimelineEntry {
  customerId: number;
  kind: TimelineKind;
  details?: Record<string, unknown>;
}

/**
 * Who wrote the events: a member's context (its user is the actor; the business's own scheduled
 * work has none), or a business and actor named outright (an undo acts for whoever asked for it).
 */
export type TimelineAuthor = TenantContext | { businessId: number; actorId: number | null };

/**
 * Writes timeline events of customers the caller loaded through its scope; commands call it
 * explicitly, inside their own transaction.
 */
export async function recordEvents(
  deps: Pick<Deps, "models" | "clock">,
  author: TimelineAuthor,
  entries: TimelineEntry[],
  transaction?: Transaction,
): Promise<void> {
  if (entries.length === 0) return;
  const { businessId, actorId } =
    "business" in author
      ? { businessId: author.business.id, actorId: author.system ? null : author.user.id }
      : author;
  const now = deps.clock.now();
  await deps.models.TimelineEvent.bulkCreate(
    entries.map((entry) => ({
      businessId,
      customerId: entry.customerId,
      actorId,
      kind: entry.kind,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt: now,
    })),
    { transaction },
  );
}

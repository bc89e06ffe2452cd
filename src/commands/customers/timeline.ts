import type { Transaction } from "sequelize";
import type { Models, TimelineKind } from "../../models";

export interface TimelineEntry {
  customerId: number;
  kind: TimelineKind;
  details?: Record<string, unknown>;
}

/** Writes timeline events; commands call it explicitly, inside their own transaction. */
export async function recordEvents(
  models: Models,
  context: { businessId: number; actorId: number | null },
  entries: TimelineEntry[],
  transaction?: Transaction,
): Promise<void> {
  if (entries.length === 0) return;
  const now = new Date();
  await models.TimelineEvent.bulkCreate(
    entries.map((entry) => ({
      businessId: context.businessId,
      customerId: entry.customerId,
      actorId: context.actorId,
      kind: entry.kind,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt: now,
    })),
    { transaction },
  );
}

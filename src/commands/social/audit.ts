import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { SocialAuditAction } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere, type Scoped } from "../../tenancy/scope";

/** A field's value before and after a change. */
export type Change = { from: unknown; to: unknown };
export type Changes = Record<string, Change | unknown>;

/** The member acting, or null for the business's own work (the publisher, the sweep). */
export const actorOf = (ctx: TenantContext): number | null => (ctx.system ? null : ctx.user.id);

/**
 * Writes one audit row of a post: who (null: the publisher), what, when (the injected clock) and
 * what changed. Inside the change's own transaction, so a change and its record commit together.
 */
export async function recordAudit(
  deps: Pick<Deps, "models" | "clock">,
  scope: { businessId: number; userId: number | null },
  postId: number,
  action: SocialAuditAction,
  changes: Changes,
  transaction?: Transaction,
): Promise<void> {
  await deps.models.SocialAudit.create(
    {
      businessId: scope.businessId,
      userId: scope.userId,
      postId,
      action,
      changes: JSON.stringify(changes),
      at: deps.clock.now(),
    },
    { transaction },
  );
}

/** Only the fields whose value differs, as { field: { from, to } }. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

export interface AuditEntry {
  id: number;
  userId: number | null;
  action: SocialAuditAction;
  changes: Changes;
  at: Date;
}

/** A post's audit log, oldest first. */
export async function auditOf(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  postId: number,
): Promise<AuditEntry[]> {
  const rows = await deps.models.SocialAudit.findAll({
    where: tenantWhere(scoped, deps.models.SocialAudit, { postId }),
    order: [["id", "ASC"]],
  });
  return rows.map((row) => ({
    id: row.id,
    userId: row.userId,
    action: row.action,
    changes: parseChanges(row.changes),
    at: row.at,
  }));
}

function parseChanges(text: unknown): Changes {
  // MariaDB hands TEXT back as text; a value that does not parse is shown as it is.
  if (typeof text !== "string") return (text ?? {}) as Changes;
  try {
    return JSON.parse(text) as Changes;
  } catch {
    return { note: text };
  }
}

import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { defaultCurrency } from "../deals/input";

/**
 * Monthly sales targets: a row holds a member's target from its month until a later row replaces
 * it, so a target is set once and kept month after month. Read through the tenant scope: a sales
 * member sees their own target only.
 */
export async function targetsFor(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  month: string,
): Promise<Map<number, number>> {
  const rows = await deps.models.SalesTarget.findAll({
    where: tenantWhere(ctx, deps.models.SalesTarget, { month: { [Op.lte]: month } }),
    order: [["month", "ASC"]],
  });
  const targets = new Map<number, number>();
  // Later months overwrite earlier ones: the latest row at or before `month` wins.
  for (const row of rows) targets.set(row.userId, row.amountMinor);
  return targets;
}

export const targetMessages = {
  month: "Choose a month as YYYY-MM.",
  member: "Targets are set for members of this business only.",
};

/**
 * Sets the targets from `month` on (the owner's action): an amount saves that month's row, null
 * removes that month's row so the earlier target applies again. One transaction.
 */
export async function setTargets(
  deps: Deps,
  ctx: TenantContext,
  month: string,
  entries: Array<{ userId: number; amountMinor: number | null }>,
): Promise<void> {
  authorize(ctx, "targets.manage");
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw AppError.validation({ month: targetMessages.month });
  const ids = entries.map((e) => e.userId);
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership, { userId: ids }),
    attributes: ["userId"],
  });
  const known = new Set(members.map((m) => m.userId));
  if (ids.some((id) => !known.has(id))) throw AppError.validation({ form: targetMessages.member });
  const currency = defaultCurrency(ctx);
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    for (const entry of entries) {
      const where = tenantWhere(ctx, deps.models.SalesTarget, { userId: entry.userId, month });
      const existing = await deps.models.SalesTarget.findOne({ where, transaction });
      if (entry.amountMinor === null) {
        if (existing) await existing.destroy({ transaction });
      } else if (existing) {
        await existing.update(
          { amountMinor: entry.amountMinor, currency, updatedAt: now },
          { transaction },
        );
      } else {
        await deps.models.SalesTarget.create(
          {
            businessId: ctx.business.id,
            userId: entry.userId,
            month,
            amountMinor: entry.amountMinor,
            currency,
            createdAt: now,
            updatedAt: now,
          },
          { transaction },
        );
      }
    }
  });
}

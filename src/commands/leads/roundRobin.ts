import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { can } from "../../policies/permissions";
import { businessScope, tenantWhere } from "../../tenancy/scope";

type RoundRobinDeps = Pick<Deps, "models" | "sequelize">;

/**
 * The members who take the next lead in turn: chosen on /settings/lead-assignment, marked
 * available, still members of the business, and in a role that may own leads (leads.manage).
 * In user-id order, so every process counts turns against the same list.
 */
export async function roundRobinCandidates(
  deps: Pick<Deps, "models">,
  businessId: number,
  transaction?: Transaction,
): Promise<number[]> {
  const { LeadAssignmentMember, Membership } = deps.models;
  const scope = businessScope(businessId);
  const chosen = await LeadAssignmentMember.findAll({
    where: tenantWhere(scope, LeadAssignmentMember, { available: true }),
    attributes: ["userId"],
    order: [["userId", "ASC"]],
    transaction,
  });
  if (chosen.length === 0) return [];
  const memberships = await Membership.findAll({
    where: tenantWhere(scope, Membership, { userId: chosen.map((c) => c.userId) }),
    attributes: ["userId", "role"],
    transaction,
  });
  const mayOwn = new Set(
    memberships.filter((m) => can(m.role, "leads.manage")).map((m) => m.userId),
  );
  return chosen.map((c) => c.userId).filter((id) => mayOwn.has(id));
}

/**
 * The owner of the business's next round-robin lead, or null when round-robin is off or nobody is
 * available. Pass the transaction that writes the lead: the turn counter is bumped with one UPDATE
 * (turn = turn + 1) whose row lock (MariaDB) or write lock (SQLite) is held until that transaction
 * ends, so concurrent leads queue on it and never take the same turn, and a rolled-back lead gives
 * its turn back. Turn t goes to candidate (t - 1) mod n: 30 leads among 3 members are 10 each.
 * Unavailable members are simply not in the list, so they are skipped without losing fairness
 * among the others. Without a transaction it runs in its own.
 */
export async function nextRoundRobinOwner(
  deps: RoundRobinDeps,
  businessId: number,
  transaction?: Transaction,
): Promise<number | null> {
  if (!transaction)
    return deps.sequelize.transaction((own) => nextRoundRobinOwner(deps, businessId, own));
  const { LeadAssignmentSettings } = deps.models;
  const where = tenantWhere(businessScope(businessId), LeadAssignmentSettings, { enabled: true });
  // The settings row exists only once the settings page saved it (outside any lead transaction),
  // so no first-lead insert races for the lock here. The UPDATE comes first in the transaction: on
  // SQLite a transaction that read before its first write cannot wait for the write lock (its
  // snapshot would be stale), while one that starts by writing simply queues.
  await LeadAssignmentSettings.increment("turn", { by: 1, where, transaction });
  const settings = await LeadAssignmentSettings.findOne({
    where,
    attributes: ["turn"],
    transaction,
  });
  if (!settings) return null;
  const candidates = await roundRobinCandidates(deps, businessId, transaction);
  if (candidates.length === 0) return null;
  return candidates[(settings.turn - 1) % candidates.length] ?? null;
}

/**
 * The owners of the business's next `count` round-robin leads at once (an import batch): one
 * UPDATE takes `count` turns (turn = turn + count) under the same lock as nextRoundRobinOwner, so
 * turns stay fair against leads made meanwhile. Empty when round-robin is off or nobody is
 * available. Must be the transaction's first statement on SQLite (see nextRoundRobinOwner).
 */
export async function nextRoundRobinOwners(
  deps: RoundRobinDeps,
  businessId: number,
  count: number,
  transaction: Transaction,
): Promise<number[]> {
  if (count <= 0) return [];
  const { LeadAssignmentSettings } = deps.models;
  const where = tenantWhere(businessScope(businessId), LeadAssignmentSettings, { enabled: true });
  await LeadAssignmentSettings.increment("turn", { by: count, where, transaction });
  const settings = await LeadAssignmentSettings.findOne({
    where,
    attributes: ["turn"],
    transaction,
  });
  if (!settings) return [];
  const candidates = await roundRobinCandidates(deps, businessId, transaction);
  if (candidates.length === 0) return [];
  const first = settings.turn - count + 1;
  return Array.from(
    { length: count },
    (_, i) => candidates[(first + i - 1) % candidates.length] as number,
  );
}

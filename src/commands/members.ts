import type { Deps } from "../deps";
import { can, type Action } from "../policies/permissions";
import { tenantWhere } from "../tenancy/scope";
import type { TenantContext } from "../tenancy/context";

export interface MemberChoice {
  id: number;
  name: string;
}

/**
 * The business's members, by name, for an assignee or owner choice; with `action`, only those
 * whose role may do it (who may work tickets, own leads or deals).
 */
export async function membersWhoMay(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  action?: Action,
): Promise<MemberChoice[]> {
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership),
    include: [{ model: deps.models.User, as: "user", attributes: ["id", "name"], required: true }],
  });
  return members
    .filter((m) => action === undefined || can(m.role, action))
    .map((m) => ({ id: m.userId, name: m.user?.name ?? "" }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";

export interface MemberOption {
  id: number;
  name: string;
}

/** Team members who can own customers, for owner pickers and filters. */
export async function memberOptions(deps: Deps, ctx: TenantContext): Promise<MemberOption[]> {
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership),
    include: [{ model: deps.models.User, as: "user", attributes: ["id", "name"] }],
    order: [["createdAt", "ASC"]],
  });
  return members.map((m) => ({ id: m.userId, name: m.user?.name ?? `Member ${m.userId}` }));
}

/** Tag names of the business, for suggestions in tag inputs. */
export async function tagNames(deps: Deps, ctx: TenantContext): Promise<string[]> {
  const tags = await deps.models.Tag.findAll({
    where: tenantWhere(ctx, deps.models.Tag),
    attributes: ["name"],
    order: [["name", "ASC"]],
    limit: 500,
  });
  return tags.map((t) => t.name);
}

import { fn, col } from "sequelize";
import type { Models } from "../models";
import { acrossBusinesses } from "../tenancy/scope";

export interface TenantRow {
  id: number;
  name: string;
  ownerName: string;
  ownerEmail: string;
  plan: string;
  members: number;
  customers: number;
  createdAt: Date;
}

/**
 * The platform admin's list of tenants: the one report allowed to read across businesses.
 * Customer counts come from the business row (kept by every customer write), not a COUNT.
 */
export async function tenantOverview(
  models: Models,
  page: number,
  pageSize = 100,
): Promise<{ rows: TenantRow[]; total: number }> {
  const total = await models.Business.count();
  const businesses = await models.Business.findAll({
    include: [{ model: models.User, as: "owner", attributes: ["name", "email", "planCode"] }],
    order: [["createdAt", "DESC"]],
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const ids = businesses.map((b) => b.id);
  const counts = ids.length
    ? ((await models.Membership.findAll({
        attributes: ["businessId", [fn("COUNT", col("id")), "members"]],
        where: acrossBusinesses("the admin's report counts members of a page of businesses", {
          businessId: ids,
        }),
        group: ["businessId"],
        raw: true,
      })) as unknown as Array<{ businessId: number; members: number | string }>)
    : [];
  const membersOf = new Map(counts.map((c) => [Number(c.businessId), Number(c.members)]));
  const rows = businesses.map((b) => {
    const owner = (b as typeof b & { owner?: { name: string; email: string; planCode: string } })
      .owner;
    return {
      id: b.id,
      name: b.name,
      ownerName: owner?.name ?? "",
      ownerEmail: owner?.email ?? "",
      plan: owner?.planCode ?? "free",
      members: membersOf.get(b.id) ?? 0,
      customers: b.customerCount,
      createdAt: b.createdAt,
    };
  });
  return { rows, total };
}

import type { Deps } from "../deps";
import { can, type Action, type Role } from "../policies/permissions";
import { selectRows } from "../db/connection";
import { tenantSql } from "../tenancy/sql";
import { rememberedSetup } from "./setup";
import type { TenantContext } from "../tenancy/context";

export interface MemberChoice {
  id: number;
  name: string;
}

/**
 * The business's members, by name, for an assignee or owner choice; with `action`, only those
 * whose role may do it (who may work tickets, own leads or deals). Remembered per business and
 * setup version (setup.ts): team changes and renames raise it.
 */
export async function membersWhoMay(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  action?: Action,
): Promise<MemberChoice[]> {
  // One remembered read of the whole team, whatever the action asked about.
  const members = await rememberedSetup(ctx.business, "members", async () => {
    // A plain read: the owner filter is on every list page, and model instances with their
    // included users cost more than the statement.
    const sql = tenantSql(deps, ctx);
    const rows = await selectRows<{ id: number | string; name: string; role: Role }>(
      deps.sequelize,
      sql.text`SELECT m.user_id AS id, u.name, m.role FROM memberships m
        JOIN users u ON u.id = m.user_id WHERE ${sql.scoped("m")}`,
    );
    return rows
      .map((m) => ({ id: Number(m.id), name: m.name, role: m.role }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  });
  // Each caller gets its own copies to change.
  return members
    .filter((m) => action === undefined || can(m.role, action))
    .map((m) => ({ id: m.id, name: m.name }));
}

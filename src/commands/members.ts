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
  const choices = await rememberedSetup(ctx.business, `members:${action ?? "any"}`, async () => {
    // A plain read: the owner filter is on every list page, and model instances with their
    // included users cost more than the statement.
    const sql = tenantSql(deps, ctx);
    const members = await selectRows<{ id: number | string; name: string; role: Role }>(
      deps.sequelize,
      sql.text`SELECT m.user_id AS id, u.name, m.role FROM memberships m
        JOIN users u ON u.id = m.user_id WHERE ${sql.scoped("m")}`,
    );
    return members
      .filter((m) => action === undefined || can(m.role, action))
      .map((m) => ({ id: Number(m.id), name: m.name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  });
  // Remembered for the next page (setup.ts): each caller gets its own copy to change.
  return choices.map((choice) => ({ ...choice }));
}

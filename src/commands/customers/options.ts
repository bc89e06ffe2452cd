import { hasFeature } from "../../plans/planGate";
import type { TenantContext } from "../../tenancy/context";
import { tenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";

/** Choices for owner pickers, tag inputs and segment links: plain rows, one statement each. */

export interface MemberOption {
  id: number;
  name: string;
}

export interface SegmentOption {
  id: number;
  name: string;
}

/** How many tag names a tag input suggests. */
const suggestedTags = 500;

/** Team members who can own customers, for owner pickers and filters. */
export async function memberOptions(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
): Promise<MemberOption[]> {
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ id: number; name: string | null }>`
    SELECT m.user_id AS id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE ${sql.scoped("m")} ORDER BY m.created_at, m.id`;
  return rows.map((r) => ({ id: Number(r.id), name: r.name ?? `Member ${r.id}` }));
}

/** Tag names of the business, for suggestions in tag inputs. */
export async function tagNames(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
): Promise<string[]> {
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ name: string }>`
    SELECT t.name FROM tags t WHERE ${sql.scoped("t")} ORDER BY t.name LIMIT ${suggestedTags}`;
  return rows.map((r) => r.name);
}

/** The business's saved segments (when its plan has them), for links beside the filter. */
export async function segmentOptions(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
): Promise<SegmentOption[]> {
  if (!hasFeature(ctx.plan, "segments")) return [];
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ id: number; name: string }>`
    SELECT s.id, s.name FROM segments s WHERE ${sql.scoped("s")} ORDER BY s.name`;
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

export interface FilterOptions {
  members: MemberOption[];
  tagNames: string[];
  segments: SegmentOption[];
}

/**
 * Everything the customer filter's choices need. The list page does not load these (they cost as
 * much as the list itself); the filter panel asks for them when it opens (routes/customers/
 * filterOptions.ts), and a page without JavaScript renders them when asked (`?filters=1`).
 */
export async function filterOptions(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
): Promise<FilterOptions> {
  const [members, tags, segments] = await Promise.all([
    memberOptions(deps, ctx),
    tagNames(deps, ctx),
    segmentOptions(deps, ctx),
  ]);
  return { members, tagNames: tags, segments };
}

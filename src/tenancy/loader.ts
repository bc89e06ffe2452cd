import { QueryTypes, type Sequelize } from "sequelize";
import { selectRows, timeOf } from "../db/connection";
import { sqlTime } from "../db/sqlTime";
import type { Models } from "../models";
import { fallbackPlanCode, planByCode } from "../plans/plans";
import type { Role } from "../policies/permissions";
import { presentUser, type PresentedUser } from "../presenters/user";
import type {
  BusinessRecord,
  BusinessSummary,
  MembershipRecord,
  RequestContext,
  TenantContext,
} from "./records";

/**
 * The one loader of tenant contexts: the page middleware, bearer authentication, every job and the
 * tests build a context only through these two functions, so a request and a job acting for the
 * same member in the same business see exactly the same rights, plan and scope.
 *
 * Everything that can be revoked (the user, their memberships and roles, the owners' plan codes)
 * is read fresh on every call, in one statement of plain rows; only the plans themselves — reference
 * rows — come from a per-process cache (planByCode). So a removed member or a changed role is seen
 * by the next request in every process, and nothing has to be invalidated.
 */
export interface ContextQuery {
  userId: number;
  /** The business wanted; the member's first business when absent or not theirs (pages only). */
  businessId?: number | null;
  /**
   * Also count the user's unread notifications in the chosen business (the top bar's bell), in the
   * same statement: pages ask, the API and jobs do not.
   */
  countUnread?: boolean;
}

type LoaderDeps = { models: Models; sequelize?: Sequelize };

export interface ContextRow {
  user_id: number;
  user_name: string;
  email: string;
  is_platform_admin: number | boolean;
  avatar_path: string | null;
  membership_id: number | null;
  role: Role | null;
  business_id: number | null;
  owner_id: number | null;
  business_name: string | null;
  category: string | null;
  description: string | null;
  phone: string | null;
  whatsapp: string | null;
  country: string | null;
  time_zone: string | null;
  currency: string | null;
  customer_count: number | string | null;
  wish_tasks: number | boolean | null;
  setup_version: number | string | null;
  plan_code: string | null;
  /** When the membership was made (its order: the first is the default business). */
  joined_at: Date | string | null;
  unread: number | string | null;
}

/** The user and one row per membership: its business and the business owner's plan code. */
const contextColumns = `u.id AS user_id, u.name AS user_name, u.email, u.is_platform_admin,
    u.avatar_path, m.id AS membership_id, m.role, m.created_at AS joined_at, b.id AS business_id,
    b.owner_id, b.name AS business_name, b.category, b.description, b.phone, b.whatsapp, b.country,
    b.time_zone, b.currency, b.customer_count, b.wish_tasks, b.setup_version,
    o.plan_code`;
const membershipJoins = `LEFT JOIN memberships m ON m.user_id = u.id
  LEFT JOIN businesses b ON b.id = m.business_id
  LEFT JOIN users o ON o.id = b.owner_id`;

/** The unread notifications of the user in a membership's business, where `when` holds. */
function unreadWhere(when: string): string {
  return `CASE WHEN ${when} THEN (SELECT COUNT(*) FROM notifications n
    WHERE n.user_id = u.id AND n.business_id = b.id AND n.read_at IS NULL) END`;
}

/**
 * By user id (the last value), with `unread` for no business, the wanted one (the value before
 * it), or each (a count on the (user_id, business_id, read_at) index per business). No ORDER
 * BY: the rows are few and sorted here (byMembershipAge) — sorting them in SQL made MariaDB copy
 * them into a temporary table, which cost more than the rest of the statement.
 */
function contextSql(unread: "none" | "all" | "wanted"): string {
  const count =
    unread === "none" ? "NULL" : unreadWhere(unread === "all" ? "b.id IS NOT NULL" : "b.id = ?");
  return `SELECT ${contextColumns}, ${count} AS unread
  FROM users u ${membershipJoins}
  WHERE u.id = ?`;
}

/** The business a session's JSON has chosen, in each dialect's SQL. */
const sessionBusiness = {
  mysql: "JSON_VALUE(s.data, '$.businessId')",
  sqlite: "json_extract(s.data, '$.businessId')",
};

/**
 * A browser session's row with its user's context, in one statement (readSession): without a
 * user (a visitor with a CSRF token) the context columns are null. Unread notifications are
 * counted in the business the session has chosen only (every business's when it has chosen none
 * yet): the page shows that one count.
 */
function sessionSql(chosen: string): string {
  return `SELECT s.data, ${contextColumns},
    ${unreadWhere(`b.id = ${chosen} OR ${chosen} IS NULL`)} AS unread
  FROM sessions s LEFT JOIN users u ON u.id = s.user_id ${membershipJoins}
  WHERE s.sid = ? AND s.expires_at > ?`;
}

// Built once: the statement texts never vary, only their values.
const statements = {
  none: contextSql("none"),
  all: contextSql("all"),
  wanted: contextSql("wanted"),
  session: { mysql: sessionSql(sessionBusiness.mysql), sqlite: sessionSql(sessionBusiness.sqlite) },
};

/** Oldest membership first (the default business is the first), as rows of one user. */
function byMembershipAge(rows: ContextRow[]): ContextRow[] {
  if (rows.length < 2) return rows;
  const time = (row: ContextRow) => timeOf(row.joined_at)?.getTime() ?? 0;
  return rows.sort(
    (a, b) => time(a) - time(b) || Number(a.membership_id ?? 0) - Number(b.membership_id ?? 0),
  );
}

function userOf(row: ContextRow): PresentedUser {
  return presentUser({
    id: Number(row.user_id),
    name: row.user_name,
    email: row.email,
    isPlatformAdmin: Boolean(Number(row.is_platform_admin)),
    avatarPath: row.avatar_path,
  });
}

function businessOf(row: ContextRow): BusinessRecord {
  return {
    id: Number(row.business_id),
    ownerId: Number(row.owner_id),
    name: row.business_name ?? "",
    category: row.category,
    description: row.description,
    phone: row.phone,
    whatsapp: row.whatsapp,
    country: row.country ?? "",
    timeZone: row.time_zone ?? "UTC",
    currency: row.currency ?? "",
    customerCount: Number(row.customer_count ?? 0),
    wishTasks: Boolean(Number(row.wish_tasks ?? 0)),
    setupVersion: Number(row.setup_version ?? 0),
  };
}

function membershipOf(row: ContextRow): MembershipRecord {
  return {
    id: Number(row.membership_id),
    businessId: Number(row.business_id),
    userId: Number(row.user_id),
    role: row.role as Role,
  };
}

function sequelizeOf(deps: LoaderDeps): Sequelize {
  const sequelize = deps.sequelize ?? deps.models.User.sequelize;
  if (!sequelize) throw new Error("loadRequestContext: the models are not initialised");
  return sequelize;
}

/**
 * Who the user is and where: their businesses, the chosen one with their role and its owner's
 * plan. Null when the user no longer exists.
 */
export async function loadRequestContext(
  deps: LoaderDeps,
  query: ContextQuery,
): Promise<RequestContext | null> {
  const wanted = query.businessId ?? null;
  const unread = !query.countUnread ? "none" : wanted === null ? "all" : "wanted";
  const values = unread === "wanted" ? [wanted, query.userId] : [query.userId];
  const rows = await selectRows<ContextRow>(sequelizeOf(deps), statements[unread], values);
  return contextOf(deps, byMembershipAge(rows), query);
}

/** The context from its rows (one per membership, or one with no membership); null without any. */
async function contextOf(
  deps: LoaderDeps,
  rows: ContextRow[],
  query: ContextQuery,
): Promise<RequestContext | null> {
  const first = rows[0];
  if (!first) return null;
  const wanted = query.businessId ?? null;
  // A membership whose business is gone (a delete in flight) is no membership.
  const members = rows.filter((r) => r.membership_id !== null && r.business_id !== null);
  const chosen = members.find((r) => Number(r.business_id) === wanted) ?? members[0] ?? null;
  const business = chosen ? businessOf(chosen) : null;
  const ctx: RequestContext = {
    user: userOf(first),
    business,
    membership: chosen ? membershipOf(chosen) : null,
    plan: chosen ? await planByCode(deps.models, chosen.plan_code ?? fallbackPlanCode) : null,
    businesses: members.map((r): BusinessSummary => ({
      id: Number(r.business_id),
      name: r.business_name ?? "",
      role: r.role as Role,
    })),
    system: false,
  };
  if (query.countUnread && chosen && business) {
    ctx.unreadNotifications =
      chosen.unread !== null
        ? Number(chosen.unread)
        : // The wanted business is no longer theirs: count in the one they fell back to.
          await countUnread(sequelizeOf(deps), ctx.user.id, business.id);
  }
  return ctx;
}

/** A browser session as readSession found it: its data, and its user's context rows. */
export interface SessionRead {
  sid: string;
  /** The session's data as JSON (middleware/session.ts). */
  data: string;
  userId: number | null;
  rows: ContextRow[];
}

/**
 * A browser session's row and, in the same statement, its user's context rows (with every
 * business's unread count): a signed-in page then needs no second statement for sessionContext
 * (see contextForSession). Null when the session does not exist or has expired.
 */
export async function readSession(
  deps: { sequelize: Sequelize },
  sid: string,
  now: Date,
): Promise<SessionRead | null> {
  const { sequelize } = deps;
  const sql = statements.session[sequelize.getDialect() === "mysql" ? "mysql" : "sqlite"];
  const rows = await selectRows<ContextRow & { data: string }>(sequelize, sql, [
    sid,
    sqlTime(sequelize, now),
  ]);
  const first = rows[0];
  if (!first) return null;
  const userId = first.user_id === null ? null : Number(first.user_id);
  return { sid, data: first.data, userId, rows: userId === null ? [] : byMembershipAge(rows) };
}

/**
 * The context of a browser session's request from the rows its session read brought, when they
 * are this request's and this user's; else loaded (loadRequestContext).
 */
export async function contextForSession(
  deps: LoaderDeps,
  read: SessionRead | undefined,
  query: ContextQuery,
): Promise<RequestContext | null> {
  if (read && read.userId === query.userId && read.rows.length > 0)
    return contextOf(deps, read.rows, query);
  return loadRequestContext(deps, query);
}

async function countUnread(sequelize: Sequelize, userId: number, businessId: number) {
  const [row] = await sequelize.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM notifications
     WHERE user_id = :userId AND business_id = :businessId AND read_at IS NULL`,
    { type: QueryTypes.SELECT, replacements: { userId, businessId } },
  );
  return Number(row?.n ?? 0);
}

/**
 * The context of work done in one business: for a member (userId), exactly what their request
 * would carry; for the business's own scheduled work (userId null), its owner's rights, marked
 * `system`. Null when the business is gone or the user is no longer a member of it — the work is
 * then no longer anyone's to do.
 */
export async function loadTenantContext(
  deps: LoaderDeps,
  query: { businessId: number; userId: number | null },
): Promise<TenantContext | null> {
  let userId = query.userId;
  if (userId === null) {
    const [business] = await sequelizeOf(deps).query<{ owner_id: number }>(
      "SELECT owner_id FROM businesses WHERE id = :businessId",
      { type: QueryTypes.SELECT, replacements: { businessId: query.businessId } },
    );
    if (!business) return null;
    userId = Number(business.owner_id);
  }
  const ctx = await loadRequestContext(deps, { userId, businessId: query.businessId });
  if (!ctx?.business || ctx.business.id !== query.businessId || !ctx.membership || !ctx.plan)
    return null;
  return {
    ...ctx,
    business: ctx.business,
    membership: ctx.membership,
    plan: ctx.plan,
    system: query.userId === null,
  };
}

/**
 * Who may do what, in one table. Every policy and the sidebar read it; nothing else decides.
 * Adding an action: add it to `actions`, then grant it to roles below.
 */
export const roles = ["owner", "admin", "manager", "sales", "marketing", "support"] as const;
export type Role = (typeof roles)[number];

export const actions = [
  "business.view",
  "business.update",
  "business.delete",
  "team.view",
  "team.invite",
  "team.manage",
  "billing.manage",
  "customers.view",
  "customers.manage",
  "customers.export",
  /** Choose or change a customer's owner (forms, API, bulk "assign owner"). */
  "customers.assign",
  /** Rename, merge and delete tags: they sit on customers of the whole team. */
  "tags.manage",
  /** Change or delete segments other members saved (authors always manage their own). */
  "segments.manage",
  "tasks.manage",
  "campaigns.manage",
  /** See support tickets, their threads and timelines. */
  "tickets.view",
  /** Create, reply to, assign and move tickets through their statuses. */
  "tickets.manage",
  /** See deals, the board and the pipelines (sales: their own deals only). */
  "deals.view",
  /** Create, edit, move and delete deals (sales: their own only). */
  "deals.manage",
  /** Add, rename, reorder and remove pipeline stages (owners, admins, managers). */
  "pipelines.manage",
  /** See leads, their board and timelines (sales: their own leads only). */
  "leads.view",
  /** Create, edit, move and delete leads (sales: their own only). */
  "leads.manage",
  /** Outbound webhooks: endpoints, their secrets, delivery logs and replays (owners, admins). */
  "webhooks.manage",
  /** Sales analytics (sales: numbers of their own leads and deals only). */
  "analytics.view",
  /** Set members' monthly sales targets (the owner). */
  "targets.manage",
] as const;
export type Action = (typeof actions)[number];

const everything = new Set<Action>(actions);
const except = (...denied: Action[]) => new Set(actions.filter((a) => !denied.includes(a)));

const grants: Record<Role, Set<Action>> = {
  owner: everything,
  admin: except("business.delete", "billing.manage", "targets.manage"),
  manager: new Set<Action>([
    "business.view",
    "team.view",
    "customers.view",
    "customers.manage",
    "customers.export",
    "customers.assign",
    "tags.manage",
    "segments.manage",
    "tasks.manage",
    "campaigns.manage",
    "tickets.view",
    "tickets.manage",
    "deals.view",
    "deals.manage",
    "pipelines.manage",
    "leads.view",
    "leads.manage",
    "analytics.view",
  ]),
  sales: new Set<Action>([
    "business.view",
    "team.view",
    "customers.view",
    "customers.manage",
    "customers.export",
    "tasks.manage",
    "deals.view",
    "deals.manage",
    "leads.view",
    "leads.manage",
    "analytics.view",
  ]),
  marketing: new Set<Action>([
    "business.view",
    "team.view",
    "customers.view",
    "customers.export",
    "campaigns.manage",
    // Marketing brings leads in (events, campaigns) and works them before sales takes over.
    "leads.view",
    "leads.manage",
    // Campaign results (leads, conversion, attributed revenue) are what marketing is judged by.
    "analytics.view",
  ]),
  // Issue 16: support sees and works tickets, and only reads customers (no tasks, no edits).
  support: new Set<Action>([
    "business.view",
    "team.view",
    "customers.view",
    "tickets.view",
    "tickets.manage",
  ]),
};

/** Roles that see only the records they own or are assigned, whatever the action. */
const ownRecordsOnly = new Set<Role>(["sales"]);

export function can(role: Role, action: Action): boolean {
  return grants[role].has(action);
}

export function seesOnlyOwnRecords(role: Role): boolean {
  return ownRecordsOnly.has(role);
}

/**
 * Roles a member with `role` may hand out by invitation or role change. Never "owner": a business
 * has exactly one owner (its owner_id), and ownership moves only by an explicit transfer.
 */
export function assignableRoles(role: Role): Role[] {
  if (role === "owner") return roles.filter((r) => r !== "owner");
  if (role === "admin") return roles.filter((r) => r !== "owner" && r !== "admin");
  return [];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

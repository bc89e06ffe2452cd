import { AppError } from "../errors";
import { can, seesOnlyOwnRecords, type Role } from "./permissions";

/**
 * Rules about customers and the things the team shares around them (owners, segments), as plain
 * functions of the member and the record. Commands call them; pages call them to show only the
 * buttons that work.
 */
export interface Member {
  membership: { role: Role };
  user: { id: number };
}

/** Who may choose or change a customer's owner: owners, admins and managers. */
export function mayAssignOwners(member: Member): boolean {
  return can(member.membership.role, "customers.assign");
}

/**
 * What a write does to the owner:
 * - "new": a customer being created (form, API, import);
 * - a number or null: an existing customer's current owner (edit form, API PATCH, merge);
 * - "several": customers whose owners may differ (bulk "assign owner").
 */
export type OwnerTarget = "new" | number | null | "several";

export const ownerRefusal =
  "Only an owner, admin or manager can hand customers to another member. Ask one of them to reassign it.";

/**
 * The one owner rule, for the edit form, the API, bulk "assign owner" and the import: members who
 * may assign owners give a customer to any member (the caller checks the id is a member) and keep
 * the current owner when they name none; everyone else owns what they create and cannot hand a
 * customer to someone else — asking for another owner is refused (403), not silently ignored.
 * Returns the owner to store.
 */
export function ownerFor(
  member: Member,
  target: OwnerTarget,
  wanted: number | null | undefined,
): number | null {
  const kept = target === "new" ? member.user.id : target === "several" ? undefined : target;
  if (mayAssignOwners(member)) {
    if (wanted !== null && wanted !== undefined) return wanted;
    if (kept === undefined) throw AppError.validation({ ownerId: "Choose the new owner." });
    return kept;
  }
  if (kept === undefined || (wanted !== null && wanted !== undefined && wanted !== kept))
    throw AppError.forbidden(ownerRefusal);
  return kept;
}

/**
 * Whether the member may open this customer: everyone who sees the whole business, and members
 * limited to their own records for the customers they own (the same rule as the tenant scope).
 */
export function mayOpenCustomer(member: Member, customer: { ownerId: number | null }): boolean {
  return !seesOnlyOwnRecords(member.membership.role) || customer.ownerId === member.user.id;
}

/** Segments are shared: their author changes and deletes them, or an owner, admin or manager. */
export function mayChangeSegment(member: Member, segment: { createdById: number | null }): boolean {
  return segment.createdById === member.user.id || can(member.membership.role, "segments.manage");
}

import { localDate } from "../lib/dates";
import type { Invitation, Membership } from "../models";
import { assignableRoles, can, type Role } from "../policies/permissions";
import type { TenantContext } from "../tenancy/context";

export function presentMember(ctx: TenantContext, membership: Membership) {
  const manageable =
    can(ctx.membership.role, "team.manage") &&
    membership.role !== "owner" &&
    membership.userId !== ctx.user.id &&
    assignableRoles(ctx.membership.role).includes(membership.role);
  return {
    id: membership.id,
    name: membership.user?.name ?? "",
    email: membership.user?.email ?? "",
    role: membership.role,
    isYou: membership.userId === ctx.user.id,
    manageable,
    roleOptions: assignableRoles(ctx.membership.role).map((role: Role) => ({
      value: role,
      label: role,
      selected: role === membership.role,
    })),
  };
}

/** An invitation, its last day in the business's zone (as every date the app shows). */
export function presentInvitation(invitation: Invitation, timeZone: string) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: localDate(invitation.expiresAt, timeZone),
  };
}

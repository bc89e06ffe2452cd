import { Op, type Transaction } from "sequelize";
import { AppError } from "../errors";
import { enqueueMail } from "../integrations/mail/enqueue";
import { hashPassword } from "../lib/password";
import { hashToken, newToken } from "../lib/tokens";
import type { Invitation, Membership, User } from "../models";
import { assignableRoles, type Role } from "../policies/permissions";
import { assertWithinLimit } from "../plans/planGate";
import { authorize, type TenantContext } from "../tenancy/context";
import { acrossBusinesses, businessScope, tenantWhere } from "../tenancy/scope";
import { logActivity } from "./activityLogger";
import type { Deps } from "../deps";
import { setupChanged } from "./setup";

const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

function assertAssignable(ctx: TenantContext, role: Role): void {
  if (!assignableRoles(ctx.membership.role).includes(role)) {
    throw new AppError("forbidden", `You cannot give the ${role} role.`);
  }
}

async function pendingInvitations(deps: Deps, ctx: TenantContext): Promise<Invitation[]> {
  return deps.models.Invitation.findAll({
    where: tenantWhere(ctx, deps.models.Invitation, {
      acceptedAt: null,
      expiresAt: { [Op.gt]: deps.clock.now() },
    }),
    order: [["createdAt", "DESC"]],
  });
}

export async function teamOf(deps: Deps, ctx: TenantContext) {
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership),
    include: [{ model: deps.models.User, as: "user", attributes: ["id", "name", "email"] }],
    order: [["createdAt", "ASC"]],
  });
  return { members, invitations: await pendingInvitations(deps, ctx) };
}

/** Invites someone by e-mail with a role; a second invitation to the same address replaces the first. */
export async function inviteMember(
  deps: Deps,
  ctx: TenantContext,
  input: { email: string; role: Role },
): Promise<void> {
  authorize(ctx, "team.invite");
  assertAssignable(ctx, input.role);
  const email = input.email.toLowerCase();
  const { members, invitations } = await teamOf(deps, ctx);
  if (members.some((m) => m.user?.email === email)) {
    throw new AppError("conflict", `${email} is already a member of ${ctx.business.name}.`);
  }
  const others = invitations.filter((i) => i.email !== email);
  assertWithinLimit(ctx.plan, "teamSeats", members.length + others.length);
  const { token, hash } = newToken();
  await deps.models.Invitation.destroy({
    where: tenantWhere(ctx, deps.models.Invitation, { email, acceptedAt: null }),
  });
  await deps.models.Invitation.create({
    businessId: ctx.business.id,
    email,
    role: input.role,
    tokenHash: hash,
    invitedById: ctx.user.id,
    expiresAt: new Date(deps.clock.nowMs() + invitationLifetimeMs),
    acceptedAt: null,
  });
  await logActivity(deps.models, null, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "team.invited",
    details: { email, role: input.role },
  });
  await enqueueMail(deps, {
    to: email,
    template: "invitation",
    data: {
      inviterName: ctx.user.name,
      businessName: ctx.business.name,
      role: input.role,
      link: new URL(`/invitations/accept?token=${token}`, deps.config.APP_URL).toString(),
    },
  });
}

export async function revokeInvitation(
  deps: Deps,
  ctx: TenantContext,
  invitation: Invitation,
): Promise<void> {
  authorize(ctx, "team.invite");
  await invitation.destroy();
}

function assertManageable(ctx: TenantContext, membership: Membership): void {
  authorize(ctx, "team.manage");
  if (membership.role === "owner")
    throw new AppError("forbidden", "The owner's role cannot be changed or removed.");
  if (membership.userId === ctx.user.id)
    throw new AppError("forbidden", "You cannot change your own membership.");
  assertAssignable(ctx, membership.role);
}

export async function changeRole(
  deps: Deps,
  ctx: TenantContext,
  membership: Membership,
  role: Role,
): Promise<void> {
  assertManageable(ctx, membership);
  assertAssignable(ctx, role);
  await deps.sequelize.transaction(async (transaction) => {
    await membership.update({ role }, { transaction });
    await setupChanged(deps, ctx, transaction);
  });
  await logActivity(deps.models, null, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "team.role_changed",
    details: { memberId: membership.userId, role },
  });
}

export async function removeMember(
  deps: Deps,
  ctx: TenantContext,
  membership: Membership,
): Promise<void> {
  assertManageable(ctx, membership);
  await deps.sequelize.transaction(async (transaction) => {
    await membership.destroy({ transaction });
    await setupChanged(deps, ctx, transaction);
  });
  await logActivity(deps.models, null, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "team.removed",
    details: { memberId: membership.userId },
  });
}

/** A pending invitation behind a link, with its business; null when unknown, used or expired. */
export async function openInvitation(deps: Deps, token: string): Promise<Invitation | null> {
  if (!token || token.length > 200) return null;
  return deps.models.Invitation.findOne({
    where: acrossBusinesses("an invitation link names its invitation, in whichever business", {
      tokenHash: hashToken(token),
      acceptedAt: null,
      expiresAt: { [Op.gt]: deps.clock.now() },
    }),
    include: [{ model: deps.models.Business, as: "business", required: true }],
  });
}

export async function accountExists(deps: Deps, email: string): Promise<boolean> {
  return (await deps.models.User.count({ where: { email: email.toLowerCase() } })) > 0;
}

/** Marks the invitation used (exactly once) and adds the membership, inside `transaction`. */
async function join(
  deps: Deps,
  invitation: Invitation,
  userId: number,
  transaction: Transaction,
): Promise<Membership> {
  // The invitation's own business: the person joining is not a member of it yet.
  const scope = businessScope(invitation.businessId);
  const [updated] = await deps.models.Invitation.update(
    { acceptedAt: deps.clock.now() },
    {
      where: tenantWhere(scope, deps.models.Invitation, { id: invitation.id, acceptedAt: null }),
      transaction,
    },
  );
  if (updated !== 1) throw new AppError("conflict", "This invitation was already used.");
  const existing = await deps.models.Membership.findOne({
    where: tenantWhere(scope, deps.models.Membership, { userId }),
    transaction,
  });
  if (existing) return existing;
  const joined = await deps.models.Membership.create(
    { businessId: invitation.businessId, userId, role: invitation.role },
    { transaction },
  );
  await setupChanged(deps, scope, transaction);
  return joined;
}

/** Joins the business; the signed-in account must be the invited address. */
export async function acceptInvitation(
  deps: Deps,
  invitation: Invitation,
  user: Pick<User, "id" | "email">,
): Promise<Membership> {
  if (user.email !== invitation.email) {
    throw new AppError(
      "forbidden",
      `This invitation is for ${invitation.email}. Sign in with that address to accept it.`,
    );
  }
  const membership = await deps.sequelize.transaction((transaction) =>
    join(deps, invitation, user.id, transaction),
  );
  await logActivity(deps.models, null, {
    userId: user.id,
    businessId: invitation.businessId,
    action: "team.joined",
    details: { role: membership.role },
  });
  return membership;
}

/**
 * Creates the invited person's account (the link proves the address, so it is active) and joins,
 * in one transaction: a failed join leaves no account behind.
 */
export async function acceptAsNewUser(
  deps: Deps,
  invitation: Invitation,
  input: { name: string; password: string },
): Promise<User> {
  if (await accountExists(deps, invitation.email)) {
    throw new AppError("conflict", "An account with this e-mail exists. Sign in to accept.");
  }
  const passwordHash = await hashPassword(input.password);
  const user = await deps.sequelize.transaction(async (transaction) => {
    const created = await deps.models.User.create(
      { name: input.name, email: invitation.email, passwordHash, activatedAt: deps.clock.now() },
      { transaction },
    );
    await join(deps, invitation, created.id, transaction);
    return created;
  });
  await logActivity(deps.models, null, {
    userId: user.id,
    businessId: invitation.businessId,
    action: "team.joined",
    details: { role: invitation.role },
  });
  return user;
}

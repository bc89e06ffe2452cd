import type { Request, Response } from "express";
import {
  changeRole,
  inviteMember,
  removeMember,
  revokeInvitation,
  teamOf,
} from "../../commands/team";
import type { Deps } from "../../deps";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Invitation, Membership } from "../../models";
import { assignableRoles, can } from "../../policies/permissions";
import { presentInvitation, presentMember } from "../../presenters/team";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import type { invitationParams, inviteSchema, membershipParams, roleSchema } from "./schema";

export function loadInvitation({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { invitationId: number }>) {
  return findInBusiness(ctx, deps.models.Invitation, params.invitationId);
}

export function loadMembership({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { membershipId: number }>) {
  return findInBusiness(ctx, deps.models.Membership, params.membershipId);
}

/** The team page: members, invitations, and the invite form (with what was typed, on errors). */
async function renderTeam(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  form: { values?: Record<string, unknown>; errors?: FieldErrors; status?: number } = {},
) {
  const values = form.values ?? {};
  const { members, invitations } = await teamOf(deps, ctx);
  res.status(form.status ?? 200).render("team/index", {
    title: "Team",
    csrfToken: csrfToken(req),
    members: members.map((m) => presentMember(ctx, m)),
    invitations: invitations.map((invitation) =>
      presentInvitation(invitation, ctx.business.timeZone),
    ),
    canInvite: can(ctx.membership.role, "team.invite"),
    roleOptions: assignableRoles(ctx.membership.role).map((role) => ({
      value: role,
      label: role,
      selected: role === (values.role ?? "sales"),
    })),
    values,
    errors: form.errors ?? {},
  });
}

/** GET /team */
export function showTeam({ req, res, deps, ctx }: PageCall) {
  return renderTeam(req, res, deps, ctx);
}

/** The invite form sits on the team page: it comes back there with the errors. */
export function renderInviteFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderTeam(req, res, deps, ctx, failure);
}

/** A role change that failed: the team page again, the errors shown (nothing typed to keep). */
export function renderRoleFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderTeam(req, res, deps, ctx, { errors: failure.errors, status: failure.status });
}

/** POST /team/invitations */
export async function invite({ deps, ctx, body }: PageCall<{ body: typeof inviteSchema }>) {
  await inviteMember(deps, ctx, body);
  return redirect("/team", `Invitation sent to ${body.email}.`);
}

/** POST /team/invitations/:invitationId/revoke */
export async function revoke({
  deps,
  ctx,
  record: invitation,
}: PageCall<{ params: typeof invitationParams; record: Invitation }>) {
  await revokeInvitation(deps, ctx, invitation);
  return redirect("/team", `Invitation to ${invitation.email} withdrawn.`);
}

/** POST /team/members/:membershipId/role */
export async function setRole({
  deps,
  ctx,
  body,
  record: membership,
}: PageCall<{ params: typeof membershipParams; body: typeof roleSchema; record: Membership }>) {
  await changeRole(deps, ctx, membership, body.role);
  return redirect("/team", "Role changed.");
}

/** POST /team/members/:membershipId/remove */
export async function remove({
  deps,
  ctx,
  record: membership,
}: PageCall<{ params: typeof membershipParams; record: Membership }>) {
  await removeMember(deps, ctx, membership);
  return redirect("/team", "Member removed.");
}
